/**
 * The redshift-space fNL rows in float64 on the host, for one cosmology: the same algorithm as
 * ../loops/fnl-loops and ./fnl-multipoles (CLASS-PT's μ-power P12 loops, its RSD and bias AP
 * loops with Gauss-Legendre nodes, and the output spline), evaluated pointwise in double
 * precision as CLASS-PT does.
 *
 * Why: several of these rows are small anisotropic remainders of large isotropic integrands.
 * `fNL_12_4_b1b2` is ~1e-4 of `fNL_12_0_b1b2` even without AP (the BAO damping Sigma_tot(mu)
 * in t_lo), `fNL_4_dd` ~1e-3 of `fNL_0_dd`, and with AP on the l = 2, 4 bias rows are the AP
 * distortion of an isotropic term. Float32 node values (relative noise ~1e-7 to 1e-6) put
 * 1e-4 to 1e-3 errors on such rows, so their values come from here and the float32 tensor path
 * supplies their gradients (../compute.ts adds the constant difference).
 */
import type { BasisShape } from '../fftlog/decomposition';
import type { ComplexArray } from '../kernels/f-power-kernels';
import { apGaussRule, legendreEven } from '../numerics/gauss-legendre';
import { splineEvaluate, splineInterval, splineSecondDerivatives } from '../numerics/spline';
import { primordialOnGrid } from '../input/transfer';
import { FNL_MU_POWERS, FNL_TEMPLATES } from '../loops/fnl-loops';
import { hostCoefficients, hostQuadraticForm, hostQuadraticForms } from './pure-ap-float64';

/** Host float64 fNL kernels, named `${prefix}:${key}` as in ../loops/fnl-loops. */
export interface FnlHostKernels {
  transfer: BasisShape;
  transferB2: BasisShape;
  matrices: Record<string, ComplexArray>;
}

export interface FnlHostInputs {
  k: Float64Array;
  pNoWiggle: Float64Array;
  /** P_w before `noWiggle` (the transfer split keeps it) */
  pWiggleRaw: Float64Array;
  sigma2: number;
  deltaSigma2: number;
  nS: number;
  f: number;
  /** 1 and 1 when AP is off */
  hratio: number;
  dratio: number;
  nSide: number;
  irResummation: boolean;
  biasedTracers: boolean;
  /** exp(-(k/3h)^6) on the grid */
  uvDamping: Float64Array;
  kOut: Float64Array;
  /** sqrt(A_s) 1944/625 pi^4 */
  rowFactor: number;
}

const MU_POWERS = ['mu0_dd', 'mu2_vd', 'mu2_dd', 'mu4_vv', 'mu4_vd', 'mu6_vv'];
const MU_POWER_EXPONENT: Record<string, number> = { mu0_dd: 0, mu2_vd: 2, mu2_dd: 2, mu4_vv: 4, mu4_vd: 4, mu6_vv: 6 };

/** The redshift-space fNL rows (IR on: matter and bias; IR off: bias only) at `kOut`. */
export function fnlRedshiftRowsFloat64(kernels: FnlHostKernels, x: FnlHostInputs): Record<string, Float64Array> {
  const { k, f } = x;
  const n = k.length;
  // transfer split (../input/transfer)
  const prim = primordialOnGrid(k, x.nS);
  const tNw = new Float64Array(n);
  const tW = new Float64Array(n);
  const tBin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    tNw[j] = (5 / 3) * Math.sqrt(x.pNoWiggle[j] / prim[j]);
    const r = x.pWiggleRaw[j] / x.pNoWiggle[j];
    tW[j] = tNw[j] * (r / 2 - (r * r) / 8 + (r * r * r) / 16);
    tBin[j] = tNw[j] + tW[j] * Math.exp(-x.sigma2 * k[j] * k[j]);
  }
  const k3 = k.map((v) => v * v * v);
  const grid: Record<string, Float64Array> = { Tnw: tNw, Tw: tW, Tbin: tBin };
  const form = (shape: BasisShape, cx: Float64Array, name: string) =>
    hostQuadraticForm(shape, cx, kernels.matrices[name]);

  if (x.biasedTracers) {
    const c08 = hostCoefficients(kernels.transfer, tBin);
    const c125 = hostCoefficients(kernels.transferB2, tBin);
    for (const { prefix } of FNL_TEMPLATES) {
      const lbG2 = form(kernels.transfer, c08, `${prefix}:bias_multipoles_bG2_vv0_f1`);
      const lb2 = form(kernels.transferB2, c125, `${prefix}:bias_multipoles_b2_vv0_f1`);
      grid[`${prefix}:LbG2`] = lbG2.map((v, j) => v * tBin[j] * k3[j]);
      grid[`${prefix}:Lb2`] = lb2.map((v, j) => v * tBin[j] * k3[j]);
    }
  }
  if (x.irResummation) {
    const cNw = hostCoefficients(kernels.transfer, tNw);
    const cW = hostCoefficients(kernels.transfer, tW);
    for (const { prefix } of FNL_TEMPLATES) {
      for (const [mu, terms] of Object.entries(FNL_MU_POWERS)) {
        const matrices = terms.map(([key]) => kernels.matrices[`${prefix}:${key}`]);
        const weights = terms.map(([, c, p]) => c * Math.pow(f, p));
        const a = hostQuadraticForms(kernels.transfer, cNw, matrices, weights);
        const b = hostQuadraticForms(kernels.transfer, cNw, matrices, weights, cW);
        for (let j = 0; j < n; j++) {
          const scale = tNw[j] * k3[j] * x.uvDamping[j];
          a[j] *= scale;
          b[j] *= 2 * scale; // X_nw^T M (2 X_w)
        }
        grid[`${prefix}:P12_${mu}`] = a;
        grid[`${prefix}:P12w_${mu}`] = b;
      }
    }
  }

  // AP loop: every array at k_t by its natural spline in k over the grid
  const names = Object.keys(grid);
  const values = names.map((name) => grid[name]);
  const second = names.map((name) => splineSecondDerivatives(k, grid[name]));
  const index = Object.fromEntries(names.map((name, c) => [name, c]));
  const rule = apGaussRule();
  const invD2 = 1 / (x.dratio * x.dratio);
  const volume = x.hratio * invD2;
  // per node: w_g V L_l(mu_g) (2l + 1)/2 for l = 0, 2, 4
  const weights = Array.from(rule.x, (mu, g) => ([0, 2, 4] as const).map((l) => rule.w[g] * volume * legendreEven(l, mu) * ((2 * l + 1) / 2)));
  const rows: Record<string, Float64Array> = {};
  /** the three rows (l = 0, 2, 4) of a channel */
  const rowsOf = (channel: string) => ([0, 2, 4] as const).map((l) => (rows[channel.replace('{l}', String(l))] = new Float64Array(n)));
  const channels = FNL_TEMPLATES.map(({ prefix }) => ({
    prefix,
    vv: x.irResummation ? rowsOf(`${prefix}_{l}_vv`) : null,
    vd: x.irResummation ? rowsOf(`${prefix}_{l}_vd`) : null,
    dd: x.irResummation ? rowsOf(`${prefix}_{l}_dd`) : null,
    b1b2: x.biasedTracers ? rowsOf(`${prefix}_12_{l}_b1b2`) : null,
    b2: x.biasedTracers ? rowsOf(`${prefix}_12_{l}_b2`) : null,
    b1bG2: x.biasedTracers ? rowsOf(`${prefix}_12_{l}_b1bG2`) : null,
    bG2: x.biasedTracers ? rowsOf(`${prefix}_12_{l}_bG2`) : null,
    mu: MU_POWERS.map((mu) => [index[`${prefix}:P12_${mu}`], index[`${prefix}:P12w_${mu}`], MU_POWER_EXPONENT[mu] / 2] as const),
    lb2: index[`${prefix}:Lb2`],
    lbG2: index[`${prefix}:LbG2`],
  }));
  const at = new Float64Array(names.length);
  const iTnw = index.Tnw;
  const iTw = index.Tw;
  const iTbin = index.Tbin;
  for (let j = x.nSide; j < n - x.nSide; j++) {
    for (let g = 0; g < rule.x.length; g++) {
      const mu = rule.x[g];
      const q = Math.sqrt(invD2 + (x.hratio * x.hratio - invD2) * mu * mu);
      const kt = k[j] * q;
      const mu2 = ((mu * x.hratio) / q) ** 2;
      const i = splineInterval(k, kt);
      const h = k[i + 1] - k[i];
      const wb = (kt - k[i]) / h;
      const wa = 1 - wb;
      const wa3 = ((wa * wa * wa - wa) * h * h) / 6;
      const wb3 = ((wb * wb * wb - wb) * h * h) / 6;
      for (let c = 0; c < names.length; c++) {
        const y = values[c];
        const d = second[c];
        at[c] = wa * y[i] + wb * y[i + 1] + wa3 * d[i] + wb3 * d[i + 1];
      }
      const sigmaTot = x.sigma2 * (1 + f * mu2 * (2 + f)) + f * f * mu2 * (mu2 - 1) * x.deltaSigma2;
      const e = Math.exp(-sigmaTot * kt * kt);
      const [w0, w2, w4] = weights[g];
      const add = (target: Float64Array[], value: number) => {
        target[0][j] += w0 * value;
        target[1][j] += w2 * value;
        target[2][j] += w4 * value;
      };
      for (const ch of channels) {
        if (ch.vv && ch.vd && ch.dd) {
          const ratio = 1 + (at[iTw] / at[iTnw]) * e; // P12ratio
          const block = (m: number) => {
            const [nw, w, half] = ch.mu[m];
            return (at[nw] * ratio + at[w] * e) * mu2 ** half;
          };
          // MU_POWERS order: mu0_dd, mu2_vd, mu2_dd, mu4_vv, mu4_vd, mu6_vv
          add(ch.vv, block(3) + block(5));
          add(ch.vd, block(1) + block(4));
          add(ch.dd, block(0) + block(2));
        }
        if (ch.b1b2 && ch.b2 && ch.b1bG2 && ch.bG2) {
          const tLo = (at[iTnw] + at[iTw] * e) / at[iTbin];
          const lb2 = tLo * at[ch.lb2];
          const lbG2 = tLo * at[ch.lbG2];
          add(ch.b1b2, 3 * lb2);
          add(ch.b2, 3 * f * mu2 * lb2);
          add(ch.b1bG2, 3 * lbG2);
          add(ch.bG2, 3 * f * mu2 * lbG2);
        }
      }
    }
  }

  // output: natural spline in k over the grid (zero end nodes kept as knots, as CLASS-PT's AP loops in nonlinear_pt_loop leave them)
  const out: Record<string, Float64Array> = {};
  for (const [name, y] of Object.entries(rows)) {
    const matter = !name.includes('_12_');
    out[name] = splineEvaluate(k, y, splineSecondDerivatives(k, y), x.kOut).map(
      (v, i) => v * x.rowFactor * (matter ? Math.exp(-Math.pow(x.kOut[i] / 3, 4)) : 1),
    );
  }
  return out;
}
