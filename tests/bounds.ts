/**
 * Assertions against the bounds table (./bounds-table.ts), with what each test measured recorded
 * for the summary reporter.
 */
import { expect, type TestContext } from 'vitest';
import { BOUNDS, type Family, type ZBinReport } from './bounds-table';

export { BOUNDS, type Family };

/** Records the measured worst of a family (for the summary) and asserts it is within its bound. */
export function expectWithinBound(ctx: TestContext, family: Family, measured: number, where: string): void {
  (ctx.task.meta.bounds ??= []).push({ family, measured, where });
  const { bound } = BOUNDS[family];
  expect(measured, `${family}: measured ${measured.toExponential(2)} (${where}), bound ${bound.toExponential(1)}`).toBeLessThanOrEqual(bound);
}

/** Redshift bins of the per-bin report. */
export const Z_BINS: [number, number][] = [[0, 0.5], [0.5, 1], [1, 2], [2, 3.01]];

export function zBinOf(z: number): string {
  const [lo, hi] = Z_BINS.find(([a, b]) => z >= a && z < b) ?? [NaN, NaN];
  return `z in [${lo}, ${Math.min(hi, 3)}${hi > 3 ? ']' : ')'}`;
}

/** Records the worst row per redshift bin for the summary. */
export function reportZBins(ctx: TestContext, source: string, entries: Omit<ZBinReport, 'source'>[]): void {
  (ctx.task.meta.zbins ??= []).push(...entries.map((e) => ({ source, ...e })));
}
