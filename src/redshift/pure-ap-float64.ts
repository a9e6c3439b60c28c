/**
 * The pure Alcock-Paczynski rows in float64 on the host: the l = 2, 4 projections of the
 * isotropic bias terms (`Id2d2_2` ... `IG2G2_4`) and `4_b1b2`, `4_b1bG2`. They are the AP
 * distortion alone, down to 1e-11 of their monopoles for small distortions, below what float32
 * node values resolve. So their values are recomputed here with the same algorithm
 * (CLASS-PT's bias loop integrals and bias AP loop, in the O(N^2) and moment forms of
 * ../loops and ./ap-moments) in float64; the float32 tensor path still supplies their gradient
 * (see ../compute.ts). No classy spectrum uses these rows.
 */
import { analyze, type BasisShape } from '../fftlog/decomposition';
import { synthesisScale, synthesize } from '../fftlog/synthesis';
import type { ComplexArray } from '../kernels/f-power-kernels';
import { splineEvaluate, splineSecondDerivatives } from '../numerics/spline';
import { apGaussRule } from '../numerics/gauss-legendre';
import { hostApMomentSets, type AngularFactor, type HostMomentSets, type MomentInputs } from './ap-moments';

/** Float64 kernels used by the pure-AP rows, each a list over powers of f (null = absent). */
export type HostBiasKernels = Record<string, (ComplexArray | null)[]>;

export const PURE_AP_ROWS = ['Id2d2_2', 'Id2d2_4', 'Id2G2_2', 'Id2G2_4', 'IG2G2_2', 'IG2G2_4', '4_b1b2', '4_b1bG2'];

/** f_j = Re X_j^T M X_j on the grid, in float64 (the anti-diagonal form of ../loops/loop-integrals); M symmetric. */
export function hostQuadraticForm(shape: BasisShape, coef: Float64Array, m: ComplexArray): Float64Array {
  return hostQuadraticForms(shape, coef, [m], [1]);
}

/**
 * f_j = Re X_j^T (sum_i w_i M_i) Y_j on the grid, in float64 (Y = X by default): the products
 * X_c Y_d are formed once for all kernels, and the anti-diagonal sums are combined before the one
 * synthesis. The kernels are symmetric (CLASS-PT fills the lower triangle and mirrors it, as does
 * the plan), so each anti-diagonal sums the lower triangle of the symmetrised products
 * X_c Y_d + X_d Y_c (half the work; float64 rounding differs from the full sum). With Y != X this
 * is CLASS-PT's `batch_bilinear_form` (no conjugation).
 */
export function hostQuadraticForms(
  shape: BasisShape,
  coef: Float64Array,
  kernels: ComplexArray[],
  weights: number[],
  coefY: Float64Array = coef,
): Float64Array {
  const { nc, ns } = shape;
  const K = kernels.length;
  const ars = kernels.map(() => new Float64Array(ns));
  const ais = kernels.map(() => new Float64Array(ns));
  const pr = new Float64Array(nc);
  const pi = new Float64Array(nc);
  for (let c = 0; c < nc; c++) {
    const xr = coef[c];
    const xi = coef[nc + c];
    const yr = coefY[c];
    const yi = coefY[nc + c];
    for (let d = 0; d <= c; d++) {
      // X_c Y_d + X_d Y_c off the diagonal, X_c Y_c on it
      pr[d] = xr * coefY[d] - xi * coefY[nc + d];
      pi[d] = xr * coefY[nc + d] + xi * coefY[d];
      if (d !== c) {
        pr[d] += coef[d] * yr - coef[nc + d] * yi;
        pi[d] += coef[d] * yi + coef[nc + d] * yr;
      }
    }
    for (let k = 0; k < K; k++) {
      const mre = kernels[k].re;
      const mim = kernels[k].im;
      const ar = ars[k];
      const ai = ais[k];
      const row = c * nc;
      for (let d = 0; d <= c; d++) {
        const mr = mre[row + d];
        const mi = mim[row + d];
        ar[c + d] += pr[d] * mr - pi[d] * mi;
        ai[c + d] += pr[d] * mi + pi[d] * mr;
      }
    }
  }
  const a = new Float64Array(2 * ns); // [Re A | Im A]
  for (let k = 0; k < K; k++) {
    for (let s = 0; s < ns; s++) {
      a[s] += weights[k] * ars[k][s];
      a[ns + s] += weights[k] * ais[k][s];
    }
  }
  return synthesize(a, 1, ns, hostMaps(shape).scale);
}

const mapCache = new Map<string, { scale: Float64Array }>();

/** The float64 FFTLog maps of a basis, built once. */
export function hostMaps(shape: BasisShape) {
  const key = `${shape.n}:${shape.bias}`;
  let maps = mapCache.get(key);
  if (!maps) mapCache.set(key, (maps = { scale: synthesisScale(shape, 'quadratic') }));
  return maps;
}

/** FFTLog coefficients [Re Fhat | Im Fhat] of one spectrum on the grid, in float64. */
export function hostCoefficients(shape: BasisShape, p: ArrayLike<number>): Float64Array {
  return analyze(shape, p);
}

function projectHost(
  k: Float64Array,
  y: Float64Array,
  host: MomentInputs & { b: number },
  nSide: number,
  l: 0 | 2 | 4,
  phi: AngularFactor,
  sets: HostMomentSets,
): Float64Array {
  const one: MomentInputs = { gridKMpc: [k], hratio: [host.hratio[host.b]], dratio: [host.dratio[host.b]] };
  // this cosmology's part of the batch's moment sums
  const all = sets.get(l, phi);
  const nj0 = sets.nj;
  const m64 = all.m64.subarray(host.b * nj0 * 5, (host.b + 1) * nj0 * 5);
  const far = all.far.subarray(host.b * nj0 * sets.ng, (host.b + 1) * nj0 * sets.ng);
  const anyFar = all.anyFar;
  const n = k.length;
  const nj = n - 2 * nSide;
  const y2 = splineSecondDerivatives(k, y);
  const out = new Float64Array(n);
  const rule = anyFar ? apGaussRule() : null;
  for (let jj = 0; jj < nj; jj++) {
    const j = jj + nSide;
    const hUp = k[j + 1] - k[j];
    const hLo = k[j] - k[j - 1];
    const slope = (y[j + 1] - y[j]) / hUp - (hUp * (2 * y2[j] + y2[j + 1])) / 6;
    const c3up = (y2[j + 1] - y2[j]) / (6 * hUp);
    const c3lo = (y2[j] - y2[j - 1]) / (6 * hLo);
    const m = m64.subarray(jj * 5, jj * 5 + 5);
    let v = y[j] * m[0] + slope * m[1] + (y2[j] / 2) * m[2] + c3lo * m[3] + c3up * m[4];
    if (rule) {
      const hr = one.hratio[0];
      const invD2 = 1 / (one.dratio[0] * one.dratio[0]);
      for (let g = 0; g < rule.x.length; g++) {
        const w = far[jj * rule.x.length + g];
        if (w === 0) continue;
        const kt = k[j] * Math.sqrt(invD2 + (hr * hr - invD2) * rule.x[g] ** 2);
        v += w * splineEvaluate(k, y, y2, [kt])[0];
      }
    }
    out[j] = v;
  }
  return out;
}

/**
 * The pure-AP rows for one cosmology at the output k, in float64. `pBin` on the FFTLog grid k,
 * `f` the growth rate; kernels on the bias basis `shape`.
 */
export function pureApRowsFloat64(
  shape: BasisShape,
  kernels: HostBiasKernels,
  k: Float64Array,
  pBin: Float64Array,
  f: number,
  host: MomentInputs & { b: number },
  nSide: number,
  kOut: Float64Array,
  sets?: HostMomentSets,
): Record<string, Float64Array> {
  const n = k.length;
  // the (l, phi) = (2, 0), (4, 0), (4, 2) moment sums (shared with the tensor path when given)
  const moments =
    sets ??
    hostApMomentSets({ gridKMpc: host.gridKMpc, hratio: host.hratio, dratio: host.dratio }, nSide, [[2, 0], [4, 0], [4, 2]]);
  const coef = hostCoefficients(shape, pBin);
  const onGrid = (name: string) => {
    const ms: ComplexArray[] = [];
    const ws: number[] = [];
    kernels[name].forEach((m, p) => {
      if (!m) return;
      ms.push(m);
      ws.push(Math.pow(f, p));
    });
    const q = hostQuadraticForms(shape, coef, ms, ws);
    for (let j = 0; j < n; j++) q[j] *= k[j] ** 3;
    return q;
  };
  const d2d2 = onGrid('Id2d2');
  const d2d2At0 = d2d2[0];
  const iso: Record<string, Float64Array> = {
    Id2d2: d2d2.map((v) => Math.abs(v - d2d2At0 + 1e-6)), // CLASS-PT P_Id2d2
    Id2G2: onGrid('Id2G2').map(Math.abs),
    IG2G2: onGrid('IG2G2').map(Math.abs),
  };
  const grid: Record<string, Float64Array> = {};
  for (const [name, y] of Object.entries(iso)) {
    grid[`${name}_2`] = projectHost(k, y, host, nSide, 2, 0, moments);
    grid[`${name}_4`] = projectHost(k, y, host, nSide, 4, 0, moments);
  }
  for (const op of ['b1b2', 'b1bG2']) {
    const p0 = projectHost(k, onGrid(`0_${op}`), host, nSide, 4, 0, moments);
    const p2 = projectHost(k, onGrid(`2_${op}`), host, nSide, 4, 2, moments);
    grid[`4_${op}`] = p0.map((v, j) => v + p2[j]);
  }
  const out: Record<string, Float64Array> = {};
  for (const [name, y] of Object.entries(grid)) out[name] = splineEvaluate(k, y, splineSecondDerivatives(k, y), kOut);
  return out;
}
