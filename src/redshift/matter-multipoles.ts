/**
 * Redshift-space matter multipoles at one loop (CLASS-PT `nonlinear_pt_loop`, RSD part).
 *
 * IR on (`nonlinear_pt_loop`, IR-resummed RSD branch): μ-power loops from P_nw (quadratic forms) and from the
 * P_nw x P_w cross terms (bilinear forms, with CLASS-PT's factor 2 on X_w), then the AP
 * projection with anisotropic BAO damping Sigma_tot(mu), and the trees and counterterm shapes.
 * IR off (its `irindex == 0` branch): the analytic multipole kernels on P_bin, without AP (CLASS-PT ignores hratio
 * and Dratio on that branch of `nonlinear_pt_loop`).
 *
 * Returned arrays live on the FFTLog grid ([B, N], Mpc^3) with classy's signs (ctr_* negated).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { linearTensorsOf, type LinearStage } from '../input/linear-stage';
import { gridPowers } from '../loops/matter-real';
import { antiDiagonalProducts, dotLoops, fftlogCoefficients } from '../loops/loop-integrals';
import { fPowerQuadraticStack, stackFPowers } from '../loops/f-power-sets';
import { dotStack64, exactStack, quadraticStack64, stackRows, type HostLoopContext } from '../loops/exact-loops';
import { analyze } from '../fftlog/decomposition';
import { fPolynomialCoefficients } from '../kernels/f-power-kernels';
import type { NamedStack } from '../loops/f-power-sets';
import { P13_UV_MU_POWERS, P13_UV_MULTIPOLES } from '../kernels/rsd-matter';
import type { Plan } from '../plan';
import { splitRows } from '../numerics/rows';
import { interpolateAtTrueK, legendreSums, padEndNodes, type ApGeometry, type BaoDamping } from './ap-projection';
import { MATTER_ROWS, matterMultipolesFloat64, type MatterProjectionInputs } from './matter-float64';
import { runHostJobs } from '../host/host-pool';

export { MATTER_ROWS };

export interface RsdScalars {
  /** growth rate per cosmology [B] */
  f: tf.Tensor1D;
}

type Arrays = Record<string, tf.Tensor2D>;

/**
 * The UV subtractions sigma_v^2 k^2 P c_i(f) of several kernels, [B, I, N]; c_i are polynomials in
 * f (CLASS-PT's P13UV coefficients), evaluated by Horner's rule for all of them at once.
 */
function uvTerms(linear: LinearStage, p: tf.Tensor2D, f: tf.Tensor1D, polynomials: string[]): tf.Tensor3D {
  const [B, n] = p.shape;
  const coefficients = polynomials.map(fPolynomialCoefficients);
  const degree = Math.max(...coefficients.map((c) => c.length)) - 1;
  const fb = tf.reshape(f, [B, 1]);
  let c: tf.Tensor = tf.zeros([B, polynomials.length]);
  for (let q = degree; q >= 0; q--) c = tf.add(own.mul(c, fb), tf.tensor1d(coefficients.map((cs) => cs[q] ?? 0)));
  const sk2 = own.mul(gridPowers(linear, 2), tf.reshape(linearTensorsOf(linear).sigmaV2, [B, 1]));
  return own.mul(tf.reshape(own.mul(sk2, p), [B, 1, n]), tf.reshape(c, [B, polynomials.length, 1])) as tf.Tensor3D;
}

/**
 * IR on: the μ-power loop arrays on the grid as one stack [B, C, N], in the order of `names`:
 * the no-wiggle P22_* and P13_*, the P_nw x P_w parts P22w_* and P13w_*, then Pnw and Pw (each
 * modulation of the AP projection is one contiguous slice). `values64` holds the numbers in float64
 * ([B, C, N] flattened); `stacked`, the float32 tensor with these values and the float32 path's
 * gradient, exists only where a gradient can reach the loops (the float64 AP projection,
 * ./matter-float64, needs values64 alone).
 */
export interface MuPowerLoops {
  names: string[];
  stacked?: tf.Tensor3D;
  values64: Float64Array;
}

/** c(f) of a UV-coefficient polynomial text (CLASS-PT's P13UV coefficients), in float64. */
const uvPolynomials = new Map<string, number[]>();
function uvCoefficient(text: string, f: number): number {
  let c = uvPolynomials.get(text);
  if (!c) uvPolynomials.set(text, (c = fPolynomialCoefficients(text)));
  return c.reduceRight((acc, q) => acc * f + q, 0);
}

export function muPowerLoops(plan: Plan, linear: LinearStage, f: tf.Tensor1D, host: HostLoopContext): MuPowerLoops {
  const { basis } = plan.matter;
  const sets = plan.rsdIrOn();
  const B = linear.pBin.length;
  const n = plan.n;
  // the values in float64 (../loops/exact-loops): quadratic nw x nw and bilinear nw x w in one batch of 2B
  const xNw = linear.pNoWiggle.map((p) => analyze(basis.shape, p));
  const xW = linear.pWiggle.map((p) => analyze(basis.shape, p));
  const f2 = [...host.f, ...host.f];
  const e22 = quadraticStack64(basis, sets.p22.kernels, sets.p22.terms, [...xNw, ...xNw], [...xNw, ...xW], f2);
  const e13 = dotStack64(basis, sets.p13.kernels, sets.p13.terms, [...xNw, ...xW], f2);
  const names = [
    ...e22.names.map((k) => `P22_${k}`), ...e13.names.map((k) => `P13_${k}`),
    ...e22.names.map((k) => `P22w_${k}`), ...e13.names.map((k) => `P13w_${k}`), 'Pnw', 'Pw',
  ];
  const C = names.length;
  const n22 = e22.names.length;
  const n13 = e13.names.length;
  const values64 = new Float64Array(B * C * n);
  for (let b = 0; b < B; b++) {
    const k = linear.gridKMpc[b];
    const pNw = linear.pNoWiggle[b];
    const out = (c: number) => (b * C + c) * n; // row c of this cosmology
    for (let i = 0; i < n22; i++) {
      const nw = out(i);
      const w = out(n22 + n13 + i);
      const srcNw = (b * n22 + i) * n; // e22 rows: nw x nw for b < B, nw x w for B + b
      const srcW = ((B + b) * n22 + i) * n;
      for (let j = 0; j < n; j++) {
        const k3e = k[j] * k[j] * k[j] * plan.uvDamping[j];
        values64[nw + j] = k3e * e22.values[srcNw + j];
        values64[w + j] = 2 * k3e * e22.values[srcW + j]; // X_nw^T M (2 X_w)
      }
    }
    for (let i = 0; i < n13; i++) {
      const uv = linear.sigmaV2[b] * uvCoefficient(P13_UV_MU_POWERS[e13.names[i]], host.f[b]);
      const nw = out(n22 + i);
      const w = out(2 * n22 + n13 + i);
      const srcNw = (b * n13 + i) * n;
      const srcW = ((B + b) * n13 + i) * n;
      for (let j = 0; j < n; j++) {
        const k2 = k[j] * k[j];
        const k3e = k2 * k[j] * plan.uvDamping[j];
        values64[nw + j] = (k3e * e13.values[srcNw + j] - uv * k2 * plan.uvDamping[j]) * pNw[j];
        values64[w + j] = k3e * e13.values[srcW + j] * pNw[j]; // no UV term
      }
    }
    values64.set(pNw, out(C - 2));
    values64.set(linear.pWiggle[b], out(C - 1));
  }
  const tensorPath = () => {
    // the float32 twin, for the gradient
    const lt = linearTensorsOf(linear);
    const pNw = tf.reshape(lt.pNoWiggle, [B, 1, n]);
    const k3 = tf.reshape(gridPowers(linear, 3), [B, 1, n]);
    const damping = tf.tensor1d(Float32Array.from(plan.uvDamping));
    const cNw = fftlogCoefficients(basis, lt.pNoWiggle, linear.pNoWiggle);
    const cW = fftlogCoefficients(basis, lt.pWiggle, linear.pWiggle);
    const ff = tf.concat([f, f]) as tf.Tensor1D;
    const p22 = fPowerQuadraticStack(basis, antiDiagonalProducts(basis, tf.concat([cNw, cNw], 0), tf.concat([cNw, cW], 0)), sets.p22, ff);
    const p13 = stackFPowers(dotLoops(basis, tf.concat([cNw, cW], 0), sets.p13.kernels), sets.p13.terms, ff);
    const nw = (t: tf.Tensor3D) => own.slice(t, [0, 0, 0], [B, -1, n]);
    const w = (t: tf.Tensor3D) => own.slice(t, [B, 0, 0], [B, -1, n]);
    const k3e = own.mul(k3, damping);
    // the UV subtraction of the no-wiggle P13
    const uv = uvTerms(linear, lt.pNoWiggle, f, p13.names.map((name) => P13_UV_MU_POWERS[name]));
    return tf.concat([
      own.mul(k3e, nw(p22.combined)),
      own.mul(tf.sub(own.mul(own.mul(k3, nw(p13.combined)), pNw), uv), damping),
      own.mul(own.mul(k3e, w(p22.combined)), 2), // X_nw^T M (2 X_w)
      own.mul(own.mul(k3e, w(p13.combined)), pNw), // no UV term
      pNw,
      tf.reshape(lt.pWiggle, [B, 1, n]),
    ], 1) as tf.Tensor3D;
  };
  return { names, values64, stacked: host.differentiable ? exactStack(values64, [B, C, n], tensorPath) : undefined };
}


/** A projected channel: its mu_t power p and f power e (the integrand carries V f^e mu_t^p). */
interface Channel { p: number; e: number }

/** mu_t power and vv/vd/dd family of a μ-power loop array (`P22_mu4_vv`, `P13_mu6`, ...). */
function loopChannel(name: string): { p: number; family: 'vv' | 'vd' | 'dd' } {
  const p = Number(/_mu(\d)/.exec(name)![1]);
  return { p, family: name.includes('_dd') ? 'dd' : name.includes('_vd') ? 'vd' : 'vv' };
}

/**
 * The constant plan of the projection: channels (loop arrays with their modulation, then the
 * tree and counterterm integrands once per mu_t power) and the matrix [C*3, rows] that sums
 * their l = 0, 2, 4 Gauss-Legendre sums into MATTER_ROWS (CLASS-PT's P1loop{vv,vd,dd}_ap_ir,
 * Ptree_ap_ir, P_CTR_ap: trees and counterterms with f mu_t^2 powers; its P1loopdd_ap_ir and P1loopvd_ap_ir carry the tree).
 */
function matterProjectionPlan(loopNames: string[]): { channels: Channel[]; rows: Float32Array } {
  const channels: Channel[] = [];
  const terms: { row: string; c: number; l: 0 | 2 | 4; w: number }[] = [];
  for (const name of loopNames) {
    const { p, family } = loopChannel(name);
    const c = channels.push({ p, e: 0 }) - 1;
    for (const l of [0, 2, 4] as const) terms.push({ row: `loop_${l}_${family}`, c, l, w: 1 });
  }
  const tree = [0, 2, 4].map((p) => channels.push({ p, e: p / 2 }) - 1); // P_tree f^{p/2} mu_t^p
  const ctr = [0, 2, 4].map((p) => channels.push({ p, e: p / 2 }) - 1); // k_t^2 P_lo f^{p/2} mu_t^p
  terms.push(
    { row: 'loop_2_dd', c: tree[0], l: 2, w: 1 }, { row: 'loop_4_dd', c: tree[0], l: 4, w: 1 },
    { row: 'loop_4_vd', c: tree[1], l: 4, w: 2 },
    { row: 'tree_0_vv', c: tree[2], l: 0, w: 1 }, { row: 'tree_2_vv', c: tree[2], l: 2, w: 1 }, { row: 'tree_4_vv', c: tree[2], l: 4, w: 1 },
    { row: 'tree_0_vd', c: tree[1], l: 0, w: 2 }, { row: 'tree_2_vd', c: tree[1], l: 2, w: 2 },
    { row: 'tree_0_dd', c: tree[0], l: 0, w: 1 },
    { row: 'ctr_0', c: ctr[0], l: 0, w: -1 }, { row: 'ctr_2', c: ctr[1], l: 2, w: -1 }, { row: 'ctr_4', c: ctr[2], l: 4, w: -1 },
  );
  const R = MATTER_ROWS.length;
  const rows = new Float32Array(channels.length * 3 * R);
  for (const t of terms) rows[(t.c * 3 + t.l / 2) * R + MATTER_ROWS.indexOf(t.row as (typeof MATTER_ROWS)[number])] += t.w;
  return { channels, rows };
}

/**
 * IR on: AP projection of the μ-power loops, trees and counterterms onto l = 0, 2, 4
 * (CLASS-PT 4365-4564), with the anisotropic BAO damping `bao` (./ap-projection baoDamping).
 *
 * At each (k_t, mu_t) the loop arrays enter as P22 + P13 (1 + r) + (P22w + P13w) e, with
 * e = exp(-Sigma_tot k_t^2) and r = e P_w / P_nw (P13ratio - 1), each times its mu_t power.
 * Every channel is multiplied by V f^e mu_t^p (one broadcast mul), summed over the
 * Gauss-Legendre nodes for l = 0, 2, 4 (one matMul), and the rows are constant combinations
 * of those sums (one matMul).
 */
export function projectMatterMultipoles(
  geo: ApGeometry,
  loops: MuPowerLoops,
  secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D,
  f: tf.Tensor1D,
  bao: BaoDamping,
): Arrays {
  return tf.tidy(() => {
    const { batch: B, nj: J, ng: G } = geo;
    const { names } = loops;
    const stacked = loops.stacked!; // [B, C, N]: [P22, P13 | P22w, P13w | Pnw, Pw] (differentiable calls only)
    const group = (prefix: string) => names.filter((k) => k.startsWith(prefix));
    const p22 = group('P22_');
    const p13 = group('P13_');
    const wiggle = [...group('P22w_'), ...group('P13w_')];
    const at = interpolateAtTrueK(geo, stacked, secondDerivatives(stacked)); // [B, C, J, G]
    const part = (from: number, count: number) => own.slice(at, [0, from, 0, 0], [B, count, J, G]);
    const nNoWiggle = p22.length + p13.length;
    const pNw = part(nNoWiggle + wiggle.length, 1);
    const pW = part(nNoWiggle + wiggle.length + 1, 1);
    const kt2 = tf.reshape(geo.kt2, [B, 1, J, G]);
    const sigmaKt2 = tf.reshape(bao.exponent, [B, 1, J, G]);
    const damp = tf.reshape(bao.damp, [B, 1, J, G]);
    const pWe = own.mul(pW, damp);
    const pTree = tf.add(pNw, own.mul(tf.add(1, sigmaKt2), pWe));
    const ctr = own.mul(kt2, tf.add(pNw, pWe)); // k_t^2 P_lo
    const integrands = tf.concat([
      part(0, nNoWiggle), // P22 and the 1 of P13's ratio
      own.mul(part(p22.length, p13.length), tf.div(pWe, pNw)), // P13 (ratio - 1)
      own.mul(part(nNoWiggle, wiggle.length), damp), // (P22w, P13w) e
      pTree, pTree, pTree, ctr, ctr, ctr,
    ], 1); // [B, C', J, G]
    const plan = matterProjectionPlan([...p22, ...p13, ...p13, ...wiggle]); // the integrands above
    const C = plan.channels.length;
    // V f^e mu_t^p per channel and node, [B, C', 1, G]
    const mu2 = tf.reshape(geo.mu2t, [B, G]);
    const fb = tf.reshape(f, [B, 1]);
    const muPow: tf.Tensor[] = [tf.onesLike(mu2), mu2]; // mu_t^0 ... mu_t^8
    while (muPow.length < 5) muPow.push(own.mul(muPow[muPow.length - 1], mu2));
    const fPow: Record<number, tf.Tensor> = { 1: fb, 2: tf.square(fb) };
    const factors = own.mul(
      tf.stack(plan.channels.map(({ p, e }) => (e === 0 ? muPow[p / 2] : own.mul(muPow[p / 2], fPow[e]))), 1),
      tf.reshape(geo.volume, [B, 1, 1]),
    ); // [B, C', G]
    const sums = legendreSums(geo, own.mul(integrands, tf.reshape(factors, [B, C, 1, G])) as tf.Tensor4D); // [B, C', J, 3]
    const R = MATTER_ROWS.length;
    const flat = tf.reshape(tf.transpose(sums, [0, 2, 1, 3]), [B * J, C * 3]);
    const rows = own.matMul(flat, tf.tensor2d(plan.rows, [C * 3, R])); // [B J, rows]
    const grid = padEndNodes(geo, tf.transpose(tf.reshape(rows, [B, J, R]), [2, 0, 1]) as tf.Tensor3D); // [rows, B, N]
    const parts = splitRows(grid);
    return Object.fromEntries(MATTER_ROWS.map((row, i) => [row, parts[i]])) as Arrays;
  });
}

/** IR off: analytic multipoles on P_bin, no AP (CLASS-PT 3668-3912). */
export function analyticMatterMultipoles(plan: Plan, linear: LinearStage, f: tf.Tensor1D, host: HostLoopContext): Arrays {
  const { basis } = plan.matter;
  const sets = plan.rsdIrOff();
  const B = linear.pBin.length;
  const n = plan.n;
  const pBin = linearTensorsOf(linear).pBin;
  const k2 = gridPowers(linear, 2);
  // the loops in float64 (../loops/exact-loops): (k^3 P22 + (k^3 P13 - sigma_v^2 k^2 c(f)) P_bin) e^{-(k/3h)^6}
  const x = linear.pBin.map((p) => analyze(basis.shape, p));
  const e22 = quadraticStack64(basis, sets.p22.kernels, sets.p22.terms, x, x, host.f);
  const e13 = dotStack64(basis, sets.p13.kernels, sets.p13.terms, x, host.f);
  const names = e22.names;
  const values64 = new Float64Array(B * names.length * n);
  for (let b = 0; b < B; b++) {
    const k = linear.gridKMpc[b];
    const p = linear.pBin[b];
    names.forEach((name, i) => {
      const i13 = e13.names.indexOf(name);
      const uv = i13 < 0 ? 0 : linear.sigmaV2[b] * uvCoefficient(P13_UV_MULTIPOLES[name], host.f[b]);
      for (let j = 0; j < n; j++) {
        const k3 = k[j] * k[j] * k[j];
        let v = k3 * e22.values[(b * names.length + i) * n + j];
        if (i13 >= 0) v += (k3 * e13.values[(b * e13.names.length + i13) * n + j] - uv * k[j] * k[j]) * p[j];
        values64[(b * names.length + i) * n + j] = v * plan.uvDamping[j];
      }
    });
  }
  const tensorPath = () => {
    // the float32 twin, for the gradient
    const k3 = gridPowers(linear, 3);
    const damping = tf.tensor1d(Float32Array.from(plan.uvDamping));
    const coef = fftlogCoefficients(basis, pBin, linear.pBin);
    const p22 = combineRows(fPowerQuadraticStack(basis, antiDiagonalProducts(basis, coef), sets.p22, f));
    const f13 = combineRows(stackFPowers(dotLoops(basis, coef, sets.p13.kernels), sets.p13.terms, f));
    return tf.stack(names.map((name) => {
      let loop = own.mul(own.mul(k3, p22[name]), damping);
      if (f13[name]) {
        const uv = tf.reshape(uvTerms(linear, pBin, f, [P13_UV_MULTIPOLES[name]]), [B, -1]);
        loop = tf.add(loop, own.mul(tf.sub(own.mul(own.mul(k3, f13[name]), pBin), uv), damping));
      }
      return loop;
    }), 1) as tf.Tensor3D;
  };
  const loops = stackRows(exactStack(values64, [B, names.length, n], host.differentiable ? tensorPath : undefined), names);
  const out: Arrays = {};
  for (const name of names) out[`loop_${name}`] = loops[name];
  const fb = tf.reshape(f, [B, 1]);
  const f2 = tf.square(fb);
  out.tree_0_vv = own.mul(pBin, tf.div(f2, 5)) as tf.Tensor2D;
  out.tree_0_vd = own.mul(pBin, own.mul(fb, 2 / 3)) as tf.Tensor2D;
  out.tree_0_dd = pBin;
  out.tree_2_vv = own.mul(pBin, own.mul(f2, 4 / 7)) as tf.Tensor2D;
  out.tree_2_vd = own.mul(pBin, own.mul(fb, 4 / 3)) as tf.Tensor2D;
  out.tree_4_vv = own.mul(pBin, own.mul(f2, 8 / 35)) as tf.Tensor2D;
  const ctr = tf.neg(own.mul(k2, pBin));
  out.ctr_0 = ctr as tf.Tensor2D;
  out.ctr_2 = own.mul(ctr, own.mul(fb, 2 / 3)) as tf.Tensor2D;
  out.ctr_4 = own.mul(ctr, own.mul(f2, 8 / 35)) as tf.Tensor2D;
  return out;
}

/** A named stack's rows by name. */
function combineRows(stack: NamedStack): Record<string, tf.Tensor2D> {
  return stackRows(stack.combined, stack.names);
}

/**
 * The IR-on matter multipoles on the grid as tensors [B, N] by row: the float64 host projection
 * (./matter-float64; in batches on the host pool's two threads), with the float32 tensor
 * projection `tensorRows` (./projectMatterMultipoles) run only where a gradient can reach them
 * (its tensor plus the constant difference).
 */
export function matterMultipoleRows(
  loops: MuPowerLoops,
  linear: LinearStage,
  x: { f: number[]; hratio: number[]; dratio: number[]; nSide: number },
  tensorRows?: () => Record<string, tf.Tensor2D>,
): Record<string, tf.Tensor2D> {
  const B = linear.gridKMpc.length;
  const n = linear.gridKMpc[0].length;
  const C = loops.names.length;
  const jobs = linear.gridKMpc.map((k, b): { matter: MatterProjectionInputs } => ({
    matter: {
      names: loops.names, values: loops.values64.subarray(b * C * n, (b + 1) * C * n), k,
      sigma2: linear.sigma2Bao[b], deltaSigma2: linear.deltaSigma2Bao[b], f: x.f[b], hratio: x.hratio[b], dratio: x.dratio[b], nSide: x.nSide,
    },
  }));
  const rows = B === 1 ? [matterMultipolesFloat64(jobs[0].matter)] : (runHostJobs(jobs) as Float64Array[]);
  const R = MATTER_ROWS.length;
  const values = new Float64Array(B * R * n); // [B, R, N]
  rows.forEach((r, b) => values.set(r, b * R * n));
  const tensorPath = tensorRows && (() => {
    const t = tensorRows();
    return tf.stack(MATTER_ROWS.map((name) => t[name]), 1) as tf.Tensor3D;
  });
  return stackRows(exactStack(values, [B, R, n], tensorPath), [...MATTER_ROWS]);
}
