/**
 * The progress of running chains on stderr, one line per chain:
 *   chain 2 [##########----------]  48%   960/2000 warmup  eps 0.214  depth 3  div 0  ETA 1 min 5 s
 * On a terminal the block of lines is redrawn in place (at most 5 times a second); elsewhere (a
 * log file, a batch job) a chain's line is printed at each 10% of its iterations, at the end
 * of its warm-up and when it finishes.
 */
import type { ChainProgress } from '../inference/node/run-chain';
import { fmtDuration } from '../inference/summary';
import type { TextSink } from './progress';

export class ChainsProgress {
  private readonly state = new Map<number, ChainProgress>();
  private readonly lastTenth = new Map<number, number>();
  private drawn = 0;
  private lastDraw = 0;

  constructor(
    private readonly sink: TextSink | null,
    private readonly chains: number[],
    private readonly width = 20,
  ) {}

  update(p: ChainProgress): void {
    const before = this.state.get(p.chain);
    this.state.set(p.chain, p);
    if (!this.sink) return;
    if (this.sink.isTTY) {
      const now = Date.now();
      if (p.done || now - this.lastDraw >= 200) {
        this.redraw();
        this.lastDraw = now;
      }
      return;
    }
    const tenth = Math.floor((10 * p.iteration) / Math.max(1, p.total));
    const endOfWarmup = before !== undefined && before.iteration < p.warmup && p.iteration >= p.warmup;
    if (p.done || endOfWarmup || tenth !== this.lastTenth.get(p.chain)) {
      this.lastTenth.set(p.chain, tenth);
      this.sink.write(this.line(p) + '\n');
    }
  }

  /** a message line; on a terminal above the block, which is then redrawn */
  log(message: string): void {
    if (!this.sink) return;
    if (this.sink.isTTY && this.drawn > 0) {
      this.sink.write(`\x1b[${this.drawn}A\x1b[J${message}\n`);
      this.drawn = 0;
      this.redraw();
    } else {
      this.sink.write(`${message}\n`);
    }
  }

  /** the final state (on a terminal: the block, then a new line) */
  finish(): void {
    if (this.sink?.isTTY) this.redraw();
  }

  private redraw(): void {
    const lines = this.chains.map((c) => {
      const p = this.state.get(c);
      return p ? this.line(p) : `chain ${c} waiting`;
    });
    let s = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const l of lines) s += `\x1b[2K${l}\n`;
    this.sink!.write(s);
    this.drawn = lines.length;
  }

  line(p: ChainProgress): string {
    const frac = p.total > 0 ? p.iteration / p.total : 1;
    const filled = Math.round(frac * this.width);
    const phase = p.done ? (p.iteration >= p.total ? 'done   ' : 'stopped') : p.iteration < p.warmup ? 'warmup ' : 'sampling';
    const rate = (p.iteration - p.startIteration) / Math.max(p.elapsed, 1e-9);
    const eta = p.done ? `in ${fmtDuration(p.elapsed)}` : rate > 0 ? `ETA ${fmtDuration((p.total - p.iteration) / rate)}` : 'ETA ?';
    const digits = String(p.total).length;
    return (
      `chain ${p.chain} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(Math.floor(100 * frac)).padStart(3)}%  ` +
      `${String(p.iteration).padStart(digits)}/${p.total} ${phase}  eps ${p.stepSize.toPrecision(3)}  depth ${p.treeDepth}  div ${p.divergences}  ${eta}`
    );
  }
}
