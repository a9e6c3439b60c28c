/**
 * The extra CLASS-PT cases (oracle-data/extra/: random cosmologies at z in [2, 3] with output k up
 * to 1 h/Mpc, and at z in [0, 3] with output k up to the FFTLog kmax 100 h/Mpc) through
 * `clax-pt predict`'s code path: rows 0-47 and the twelve spectra, in k windows (h/Mpc)
 * [0.005, 0.3], [0.005, 1], [1, 10], [10, 100]. Metric: max|ours - ref| / max(max|ref|, floor)
 * over the window, with floor CLASS-PT's storage floor of the row (./oracle storageFloor; for
 * the pure-AP rows also 1e-8 of their monopole, as in oracle-components.test.ts). Reports the
 * worst row per redshift bin.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { predictCase, type Prediction } from '../src/cli/main';
import type { CaseFile } from '../src/cli/case-file';
import { WorstCase } from './metrics';
import { listExtraCases, loadExtraCase, PURE_AP_ROWS, rowFamily, storageFloor, type OracleCase } from './oracle';
import { expectWithinBound, reportZBins, zBinOf, type Family } from './bounds';

const WINDOWS: [string, [number, number]][] = [
  ['k in [0.005, 0.3]', [0.005, 0.3]],
  ['k in [0.005, 1]', [0.005, 1]],
  ['k in [1, 10]', [1, 10]],
  ['k in [10, 100]', [10, 100]],
];

type Case = OracleCase & { output: { k_hMpc: number[]; components_Mpc3: Record<string, number[]>; spectra_hMpc3: Record<string, number[]> } };

/** max|ours - ref| / max(max|ref|, floor) over the window; null when the window holds no output k. */
function windowError(ours: ArrayLike<number>, ref: number[], kh: number[], [lo, hi]: [number, number], floor: number): number | null {
  let d = 0;
  let r = 0;
  let count = 0;
  for (let i = 0; i < ref.length; i++) {
    if (kh[i] < lo || kh[i] > hi) continue;
    count++;
    d = Math.max(d, Math.abs(ours[i] - ref[i]));
    r = Math.max(r, Math.abs(ref[i]));
  }
  return count === 0 ? null : d / Math.max(r, floor);
}

const worst = new WorstCase(); // `${window}: ${row}` -> worst over cases
const worstSpectra = new WorstCase();
const compared = new Map<string, number>(); // case -> (row, window) pairs compared
const perCase: { c: Case; worstRow: string; worstErr: number }[] = [];

describe('extra CLASS-PT cases: high redshift and the whole k range', () => {
  beforeAll(async () => {
    for (const id of listExtraCases()) {
      const c = loadExtraCase(id) as Case;
      const p: Prediction = await predictCase(c as unknown as CaseFile);
      const kh = c.output.k_hMpc;
      let n = 0;
      let caseWorst = { row: '', err: -1 };
      for (const [name, ref] of Object.entries(c.output.components_Mpc3)) {
        const ours = p.components_Mpc3[name];
        expect(ours, `${id}: ${name} computed`).toBeDefined();
        let floor = storageFloor(name);
        if (name in PURE_AP_ROWS) {
          const mono = c.output.components_Mpc3[PURE_AP_ROWS[name]];
          floor = Math.max(floor, 1e-8 * Math.max(...mono.map(Math.abs)));
        }
        for (const [label, window] of WINDOWS) {
          const err = windowError(ours, ref, kh, window, floor);
          if (err === null) continue;
          n++;
          worst.add(`${label}: ${name}`, id, err);
          if (window[1] <= 1 && rowFamily(name) !== 'pure AP' && err > caseWorst.err) caseWorst = { row: name, err };
        }
      }
      for (const [name, ref] of Object.entries(c.output.spectra_hMpc3)) {
        for (const [label, window] of WINDOWS) {
          const err = windowError(p.spectra_hMpc3[name], ref, kh, window, 0);
          if (err !== null) worstSpectra.add(`${label}: ${name}`, id, err);
        }
      }
      compared.set(id, n);
      perCase.push({ c, worstRow: caseWorst.row, worstErr: caseWorst.err });
    }
    console.log(worst.table(`extra cases (${perCase.length}), every row by window`).replace('over k in [0.005, 0.3] h/Mpc', '(floor-relative)'));
    console.log(worstSpectra.table('extra cases, spectra by window').replace(' over k in [0.005, 0.3] h/Mpc', ''));
  });

  it('compares every row of every case in each window the case covers', () => {
    expect(perCase.length).toBeGreaterThanOrEqual(22);
    for (const { c } of perCase) {
      // 48 rows in [0.005, 0.3] and [0.005, 1]; and in [1, 10], [10, 100] for the k-range cases
      const windows = c.output.k_hMpc[c.output.k_hMpc.length - 1] > 10 ? 4 : 2;
      expect(compared.get(c.id), c.id).toBe(48 * windows);
    }
  });

  const family = (label: string, rows: (name: string) => boolean): [number, string] => {
    let err = 0;
    let where = 'no row';
    for (const [key, w] of worst.entries()) {
      const [win, name] = key.split(': ');
      if (win !== label || !rows(name)) continue;
      if (!(w.err <= err)) {
        err = w.err;
        where = `${w.id} ${name}`;
      }
    }
    return [err, where];
  };

  const bounds: [string, Family][] = [
    ['k in [0.005, 0.3]', 'extra: every row, k in [0.005, 0.3]'],
    ['k in [0.005, 1]', 'extra: every row, k in [0.005, 1]'],
    ['k in [1, 10]', 'extra: every row, k in [1, 10]'],
    ['k in [10, 100]', 'extra: every row, k in [10, 100]'],
  ];
  for (const [label, bound] of bounds) {
    it(`every row but the pure-AP ones, ${label} h/Mpc`, (ctx) => {
      const [err, where] = family(label, (name) => rowFamily(name) !== 'pure AP');
      expect(where).not.toBe('no row');
      expectWithinBound(ctx, bound, err, where);
    });
  }

  it('pure-AP rows (floor-relative), every window', (ctx) => {
    let err = 0;
    let where = '';
    for (const [label] of WINDOWS) {
      const [e, w] = family(label, (name) => rowFamily(name) === 'pure AP');
      if (e > err) [err, where] = [e, `${w}, ${label}`];
    }
    expectWithinBound(ctx, 'extra: pure-AP rows (floor-relative), k up to 100', err, where);
  });

  it('the twelve spectra, every window', (ctx) => {
    let err = 0;
    let where = '';
    for (const [key, w] of worstSpectra.entries()) if (w.err > err) [err, where] = [w.err, `${w.id} ${key}`];
    expect(worstSpectra.entries().length).toBeGreaterThanOrEqual(12 * 4);
    expectWithinBound(ctx, 'extra: the twelve spectra, k up to 100', err, where);
  });

  it('reports the worst row per redshift bin (k in [0.005, 1] h/Mpc)', (ctx) => {
    const bins = new Map<string, { row: string; worst: number; where: string }>();
    for (const { c, worstRow, worstErr } of perCase) {
      const bin = zBinOf(c.derived.z);
      const cur = bins.get(bin);
      if (!cur || worstErr > cur.worst) bins.set(bin, { row: worstRow, worst: worstErr, where: `${c.id}, z = ${c.derived.z}` });
    }
    expect(bins.size).toBeGreaterThan(0);
    reportZBins(ctx, 'extra cases, every row but pure-AP, k in [0.005, 1] h/Mpc', [...bins].map(([bin, v]) => ({ bin, ...v })));
  });
});
