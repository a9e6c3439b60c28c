/**
 * A progress bar on stderr for batch runs: `[#########-----------]  45%  computing 8 cosmologies`.
 * On a terminal it redraws one line; elsewhere (a log file, a test) it prints one line per step.
 */
export interface TextSink {
  write(s: string): unknown;
  isTTY?: boolean;
}

export class ProgressBar {
  private done = 0;
  private lastWidth = 0;

  constructor(
    private readonly sink: TextSink | null,
    private readonly total: number,
    private readonly width = 28,
  ) {}

  /** Advances by `units` and shows `label` (what is being done now). */
  step(label: string, units = 1): void {
    this.done = Math.min(this.total, this.done + units);
    this.draw(label);
  }

  /** Shows `label` without advancing (before a long step). */
  show(label: string): void {
    this.draw(label);
  }

  /** Completes the bar and ends its line. */
  finish(label = 'done'): void {
    this.done = this.total;
    this.draw(label);
    if (this.sink?.isTTY) this.sink.write('\n');
  }

  private draw(label: string): void {
    if (!this.sink) return;
    const frac = this.total > 0 ? this.done / this.total : 1;
    const filled = Math.round(frac * this.width);
    const text = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(Math.round(frac * 100)).padStart(3)}%  ${label}`;
    if (this.sink.isTTY) {
      const pad = Math.max(0, this.lastWidth - text.length);
      this.sink.write(`\r${text}${' '.repeat(pad)}`);
      this.lastWidth = text.length;
    } else {
      this.sink.write(`${text}\n`);
    }
  }
}
