/**
 * After vitest's own summary: the bounds table (./bounds-table.ts) with the worst value each family
 * measured in this run, the worst row per redshift bin, and the plain closing line
 * 'N passed, N failed, N skipped' (CI logs state the counts in a runner-independent form).
 */
import type { Reporter, TestModule } from 'vitest/node';
import { BOUNDS, type BoundReport, type ZBinReport } from './bounds-table';

const fmt = (v: number) => (Number.isFinite(v) ? v.toExponential(1) : String(v));

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const measured = new Map<string, BoundReport>();
    const zbins: ZBinReport[] = [];
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
        const meta = test.meta();
        for (const r of meta.bounds ?? []) {
          const cur = measured.get(r.family);
          if (!cur || !(r.measured <= cur.measured)) measured.set(r.family, r);
        }
        zbins.push(...(meta.zbins ?? []));
      }
    }
    const lines: string[] = [];
    if (measured.size > 0) {
      const w = Math.max(...Object.keys(BOUNDS).map((k) => k.length));
      lines.push('', 'Accuracy bounds (tests/bounds-table.ts): bound | measured now (where) | measured when set (where)');
      for (const [family, b] of Object.entries(BOUNDS)) {
        const m = measured.get(family);
        const now = m ? `${fmt(m.measured).padStart(8)} ${m.measured <= b.bound ? '  ' : '!!'} (${m.where})` : '     not run';
        lines.push(`  ${family.padEnd(w)}  ${fmt(b.bound).padStart(8)}  ${now.padEnd(40)}  ${fmt(b.measured)} (${b.where})`);
      }
    }
    if (zbins.length > 0) {
      lines.push('', 'Worst row per redshift bin (max|delta|/max|ref|):');
      const sources = [...new Set(zbins.map((z) => z.source))];
      for (const source of sources) {
        lines.push(`  ${source}`);
        const bins = [...new Set(zbins.filter((z) => z.source === source).map((z) => z.bin))].sort();
        for (const bin of bins) {
          const worst = zbins.filter((z) => z.source === source && z.bin === bin).reduce((a, z) => (z.worst > a.worst ? z : a));
          lines.push(`    ${bin.padEnd(16)} ${fmt(worst.worst).padStart(8)}  ${worst.row} (${worst.where})`);
        }
      }
    }
    process.stdout.write(`${lines.join('\n')}\n\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
