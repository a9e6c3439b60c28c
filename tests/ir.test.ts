/**
 * The host-side linear stage against CLASS-PT: the DST pair, the BAO-harmonic refill, the input
 * rules, and, over every oracle case, P_disc / P_nw / P_w / P_bin / P_tree on the FFTLog grid,
 * sigma_v^2, Sigma^2 and delta Sigma^2.
 */
import { describe, expect, it } from 'vitest';
import { fftlogGrid } from '../src/fftlog/grid';
import { logPowerInterpolator, sigmaV2, validateLinearPower, type LinearPowerInput } from '../src/input/linear-power';
import { irResummation, irResummationOff, type IrSpectra } from '../src/ir/resummation';
import {
  dst2,
  dst2Transpose,
  idst2,
  idst2Transpose,
  removeBaoHarmonics,
  removeBaoHarmonicsTranspose,
} from '../src/ir/wiggle-split';
import { K_WINDOW_HMPC, WorstCase, centredRng, dot, maxAbs } from './metrics';
import { fftlogSizeOf, listCases, loadCase, type OracleCase } from './oracle';
import { expectWithinBound } from './bounds';

const rng = centredRng;
const randomVector = (n: number, seed: number) => {
  const r = rng(seed);
  return Float64Array.from({ length: n }, r);
};

/** scipy.fft.dst(x, type=2) and idst(c, type=2) by their definitions, O(n^2) */
function naiveDst2(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  return Float64Array.from({ length: n }, (_, k) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += x[j] * Math.sin((Math.PI * (k + 1) * (2 * j + 1)) / (2 * n));
    return 2 * s;
  });
}
function naiveIdst2(c: ArrayLike<number>): Float64Array {
  const n = c.length;
  return Float64Array.from({ length: n }, (_, j) => {
    let s = (j % 2 ? -1 : 1) * c[n - 1];
    for (let k = 0; k < n - 1; k++) s += 2 * c[k] * Math.sin((Math.PI * (k + 1) * (2 * j + 1)) / (2 * n));
    return s / (2 * n);
  });
}

describe('DST-II pair (scipy convention)', () => {
  it('agrees with the direct O(n^2) sums (FFT path and fallback sizes)', () => {
    for (const n of [4, 16, 64, 256, 12, 30]) {
      const x = randomVector(n, n);
      const scale = Math.max(1, n / 8);
      expect(maxAbs(dst2(x), naiveDst2(x))).toBeLessThan(1e-13 * scale);
      expect(maxAbs(idst2(x), naiveIdst2(x))).toBeLessThan(1e-14 * scale);
    }
  });

  it('gives the same values in place (out = input)', () => {
    for (const n of [16, 12]) {
      const x = randomVector(n, 9);
      const a = x.slice();
      const c = x.slice();
      expect(maxAbs(dst2(a, a), dst2(x))).toBe(0);
      expect(maxAbs(idst2(c, c), idst2(x))).toBe(0);
    }
  });

  it('round-trips at the IR size Nir = 65536', () => {
    const x = randomVector(65536, 3);
    expect(maxAbs(idst2(dst2(x)), x)).toBeLessThan(1e-13);
    expect(maxAbs(dst2(idst2(x)), x)).toBeLessThan(1e-12);
  });

  it('has the documented transposes (dot-product test)', () => {
    for (const n of [16, 12, 65536]) {
      const x = randomVector(n, 5);
      const y = randomVector(n, 6);
      const tol = 1e-12 * Math.sqrt(n);
      expect(Math.abs(dot(dst2(x), y) - dot(x, dst2Transpose(y)))).toBeLessThan(tol * n);
      expect(Math.abs(dot(idst2(x), y) - dot(x, idst2Transpose(y)))).toBeLessThan(tol);
    }
  });
});

describe('BAO harmonic removal', () => {
  const c = randomVector(4096, 9).map((v, i) => v + 1000 / (1 + i));
  it('keeps the kept harmonics bit for bit and refills [120, 240) of both halves', () => {
    const out = removeBaoHarmonics(c);
    for (let i = 0; i < c.length; i++) {
      const h = i >> 1;
      if (h < 120 || h >= 240) expect(out[i]).toBe(c[i]);
    }
    expect(maxAbs(out, c)).toBeGreaterThan(0.1);
  });
  it('windowed refill equals the spline through all kept entries', () => {
    expect(maxAbs(removeBaoHarmonics(c), removeBaoHarmonics(c, 120, 240, Infinity))).toBeLessThan(1e-12);
  });
  it('transpose passes the dot-product test', () => {
    const g = randomVector(4096, 10);
    expect(Math.abs(dot(removeBaoHarmonics(c), g) - dot(c, removeBaoHarmonicsTranspose(g)))).toBeLessThan(1e-9);
    const gFull = removeBaoHarmonicsTranspose(g, 120, 240, Infinity);
    expect(maxAbs(removeBaoHarmonicsTranspose(g), gFull)).toBeLessThan(1e-14);
  });
});

describe('linear power input', () => {
  const k = Float64Array.from([1e-3, 1e-2, 0.1, 1, 10]);
  const p = Float64Array.from([1e3, 1e4, 5e3, 50, 0.1]);
  const input: LinearPowerInput = { kMpc: k, pkMpc3: p, nS: 0.96 };
  it('validates and names the argument', () => {
    expect(() => validateLinearPower(input)).not.toThrow();
    expect(() => validateLinearPower({ ...input, pkMpc3: p.slice(0, 4) })).toThrow(/kMpc and pkMpc3/);
    expect(() => validateLinearPower({ ...input, kMpc: k.slice(0, 3), pkMpc3: p.slice(0, 3) })).toThrow(/at least 4/);
    expect(() => validateLinearPower({ ...input, kMpc: Float64Array.from([1e-3, 1e-2, 1e-2, 1, 10]) })).toThrow(/strictly increasing/);
    expect(() => validateLinearPower({ ...input, pkMpc3: Float64Array.from([1, 2, NaN, 4, 5]) })).toThrow(/pkMpc3\[2\]/);
    expect(() => validateLinearPower({ ...input, kMpc: Float64Array.from([-1, 1e-2, 0.1, 1, 10]) })).toThrow(/kMpc\[0\]/);
    expect(() => validateLinearPower({ ...input, pkMpc3: Float64Array.from([1, 2, 0, 4, 5]) })).toThrow(/positive/);
    expect(() => validateLinearPower({ ...input, nS: Infinity }, 'c[1].')).toThrow(/c\[1\]\.nS/);
  });
  it('follows the three rules: spline inside, n_s below, last-two-point slope above', () => {
    const f = logPowerInterpolator(input);
    const v = f.powerAt([1e-4, 1e-3, 0.1, 10, 100]);
    expect(v[0] / (1e3 * Math.pow(0.1, 0.96)) - 1).toBeLessThan(1e-14);
    expect(v[1] / 1e3 - 1).toBeLessThan(1e-14);
    expect(v[2] / 5e3 - 1).toBeLessThan(1e-14);
    expect(Math.abs(v[4] / (0.1 * Math.pow(10, Math.log(0.1 / 50) / Math.log(10))) - 1)).toBeLessThan(1e-13);
  });
});

/** the oracle comparison: max|ours - ref| / max|norm| over k/h in [0.005, 0.3] */
function windowError(ours: ArrayLike<number>, ref: number[], kh: ArrayLike<number>, norm: number[] = ref): number {
  let d = 0;
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    if (kh[i] < K_WINDOW_HMPC[0] || kh[i] > K_WINDOW_HMPC[1]) continue;
    d = Math.max(d, Math.abs(ours[i] - ref[i]));
    m = Math.max(m, Math.abs(norm[i]));
  }
  return m === 0 ? d : d / m;
}
const relScalar = (ours: number, ref: number) => (ref === 0 ? Math.abs(ours) : Math.abs(ours / ref - 1));

function runCase(c: OracleCase): { res: IrSpectra; input: LinearPowerInput; kh: Float64Array; gridK: Float64Array } {
  const n = fftlogSizeOf(c);
  const h = c.derived.h;
  const grid = fftlogGrid(n, h);
  const input: LinearPowerInput = {
    kMpc: Float64Array.from(c.input.k_Mpc),
    pkMpc3: Float64Array.from(c.input.pk_lin_Mpc3),
    nS: c.derived.n_s,
  };
  validateLinearPower(input);
  const res =
    c.settings['IR resummation'] === 'No'
      ? irResummationOff(input, grid.kMpc)
      : irResummation({
          input,
          kGridMpc: grid.kMpc,
          h,
          rsDragMpc: c.derived.rs_drag_Mpc,
          alphaRs: c.settings['alpha_rs'] !== undefined ? Number(c.settings['alpha_rs']) : 1,
          noWiggle: c.settings['no-wiggle'] === 'Yes',
        });
  return { res, input, kh: grid.kMpc.map((k) => k / h), gridK: grid.kMpc };
}

describe('oracle: IR split on the FFTLog grid, every case', () => {
  it('matches CLASS-PT', (ctx) => {
    const worst = new WorstCase();
    const ids = listCases();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const c = loadCase(id);
      const f = c.fftlog;
      const { res, input, kh, gridK } = runCase(c);
      expect(gridK.length).toBe(f.Nmax);
      expect(maxAbs(Float64Array.from(gridK, (k, i) => k / f.k_Mpc[i]), new Float64Array(f.Nmax).fill(1))).toBeLessThan(1e-11);
      worst.add('pk_disc', id, windowError(res.pDisc, f.pk_disc_Mpc3, kh));
      worst.add('pk_nw', id, windowError(res.pNoWiggle, f.pk_nw_Mpc3, kh));
      worst.add('pk_w / max|pk_nw|', id, windowError(res.pWiggle, f.pk_w_Mpc3, kh, f.pk_nw_Mpc3));
      worst.add('pk_w / max|pk_w|', id, windowError(res.pWiggle, f.pk_w_Mpc3, kh));
      worst.add('pk_bin', id, windowError(res.pBin, f.pk_bin_Mpc3, kh));
      worst.add('pk_tree', id, windowError(res.pTree, f.pk_tree_Mpc3, kh));
      worst.add('sigma_v2 (rel)', id, relScalar(sigmaV2(input), c.derived.sigma_v2_Mpc2));
      worst.add('Sigma2 (rel)', id, relScalar(res.sigma2Bao, c.derived.Sigma2_BAO_Mpc2));
      worst.add('deltaSigma2 (rel)', id, relScalar(res.deltaSigma2Bao, c.derived.deltaSigma2_BAO_Mpc2));
    }
    console.log(worst.table(`IR split vs CLASS-PT, ${ids.length} cases`));
    const worstOf = (names: string[]): [number, string] =>
      worst.entries().filter(([n]) => names.includes(n)).reduce<[number, string]>((a, [n, w]) => (w.err > a[0] ? [w.err, `${w.id} ${n}`] : a), [0, 'no row']);
    const [grid, gridWhere] = worstOf(['pk_disc', 'pk_nw', 'pk_w / max|pk_nw|', 'pk_bin', 'pk_tree']);
    expectWithinBound(ctx, 'oracle: linear stage on the grid (P_disc, P_nw, P_w, P_bin, P_tree)', grid, gridWhere);
    expect(worst.get('pk_w / max|pk_w|')).toBeLessThan(1e-7); // P_w relative to itself: its zero crossings
    const [scalars, scalarsWhere] = worstOf(['sigma_v2 (rel)', 'Sigma2 (rel)', 'deltaSigma2 (rel)']);
    expectWithinBound(ctx, 'oracle: sigma_v^2, Sigma^2, delta Sigma^2 (relative)', scalars, scalarsWhere);
  });

  it('times one irResummation call (fiducial, N = 256)', () => {
    const c = loadCase(listCases().includes('fiducial') ? 'fiducial' : listCases()[0]);
    const times: number[] = [];
    for (let r = 0; r < 25; r++) {
      const t0 = performance.now();
      runCase(c);
      times.push(performance.now() - t0);
    }
    const first = times[0];
    const warm = times.slice(5).sort((a, b) => a - b);
    const median = warm[warm.length >> 1];
    console.log(`irResummation (${c.id}): first call ${first.toFixed(1)} ms, warm median ${median.toFixed(1)} ms, best ${warm[0].toFixed(1)} ms`);
    expect(median).toBeLessThan(1000);
  });
});
