/**
 * Shared helpers of the benchmark: statistics, the fiducial case and its batch of variants,
 * table formatting. No tensor code here (the orchestrator imports it without tfjs).
 */
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..');
/** the fiducial case: in oracle-data/, or beside the benchmark bundle (dist/bench) */
export const FIDUCIAL_CASE = existsSync(join(HERE, 'fiducial.json.gz')) ? join(HERE, 'fiducial.json.gz') : join(ROOT, 'oracle-data', 'fiducial.json.gz');

/** CLASS-PT's one-loop module per cosmology on these machines (issue 8), ms. */
export const CLASSPT_NOMINAL_MS = 180;

export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
  runs: number[];
}

export function stats(runs: number[]): Stats {
  const s = [...runs].sort((a, b) => a - b);
  const m = s.length;
  const median = m === 0 ? NaN : m % 2 ? s[(m - 1) / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
  return { median, min: s[0] ?? NaN, max: s[m - 1] ?? NaN, n: m, runs };
}

export const round = (x: number, digits = 1): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export function pad(s: string, width: number, left = false): string {
  return left ? s.padEnd(width) : s.padStart(width);
}

/** A plain text table: first column left-aligned, the rest right-aligned. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((x, c) => pad(x ?? '', widths[c], c === 0)).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function fmtMs(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** The batch of variants: amplitude +-5%, f +-2%, hratio/Dratio +-0.1% around the fiducial. */
export function variantFactors(i: number, batch: number): { amp: number; f: number; hr: number; dr: number } {
  const u = batch > 1 ? i / (batch - 1) - 0.5 : 0; // -0.5 .. 0.5
  const v = batch > 1 ? ((i * 7) % batch) / (batch - 1) - 0.5 : 0; // decorrelated
  return { amp: 1 + 0.1 * u, f: 1 + 0.04 * v, hr: 1 + 0.002 * u, dr: 1 - 0.002 * v };
}
