/**
 * Redshift-space matter multipoles at one loop (CLASS-PT `nonlinear_pt_loop`, RSD part).
 *
 * IR on (§7.2 of the source map): μ-power loops from P_nw (quadratic forms) and from the
 * P_nw x P_w cross terms (bilinear forms, with CLASS-PT's factor 2 on X_w), then the AP
 * projection with anisotropic BAO damping Sigma_tot(mu), and the trees and counterterm shapes.
 * IR off (§7.1): the analytic multipole kernels on P_bin, without AP (CLASS-PT ignores hratio
 * and Dratio there, trap T17).
 *
 * Returned arrays live on the FFTLog grid ([B, N], Mpc^3) with classy's signs (ctr_* negated).
 */
import * as tf from '@tensorflow/tfjs-core';
import { linearTensorsOf, type LinearStage } from '../input/linear-stage';
import { gridPowers } from '../loops/matter-real';
import { antiDiagonalProducts, dotLoops, fftlogCoefficients } from '../loops/loop-integrals';
import { combineFPowers, fPolynomial, fPowerQuadraticLoops } from '../loops/f-power-sets';
import { fPolynomialCoefficients } from '../kernels/f-power-kernels';
import { P13_UV_MU_POWERS, P13_UV_MULTIPOLES } from '../kernels/rsd-matter';
import type { Plan } from '../plan';
import { interpolateAtTrueK, projectMultipole, sigmaTotal, type ApGeometry } from './ap-projection';

export interface RsdScalars {
  /** growth rate per cosmology [B] */
  f: tf.Tensor1D;
}

type Arrays = Record<string, tf.Tensor2D>;

/** The UV subtraction sigma_v^2 k^2 P c(f) for one kernel, [B, N]. */
function uvTerm(linear: LinearStage, p: tf.Tensor2D, f: tf.Tensor1D, coefficients: string): tf.Tensor2D {
  const B = p.shape[0];
  const sk2 = tf.mul(gridPowers(linear, 2), tf.reshape(linearTensorsOf(linear).sigmaV2, [B, 1]));
  const c = tf.reshape(fPolynomial(fPolynomialCoefficients(coefficients), f), [B, 1]);
  return tf.mul(tf.mul(sk2, p), c) as tf.Tensor2D;
}

/** IR on: the μ-power loop arrays (P13/P22, no-wiggle and wiggle parts) on the grid. */
export function muPowerLoops(plan: Plan, linear: LinearStage, f: tf.Tensor1D): Arrays {
  const { basis } = plan.matter;
  const sets = plan.rsdIrOn();
  const B = linear.pBin.length;
  const n = plan.n;
  const pNw = linearTensorsOf(linear).pNoWiggle;
  const pW = linearTensorsOf(linear).pWiggle;
  const k3 = gridPowers(linear, 3);
  const damping = tf.tensor1d(Float32Array.from(plan.uvDamping));
  const cNw = fftlogCoefficients(basis, pNw);
  const cW = fftlogCoefficients(basis, pW);
  // quadratic nw x nw and bilinear nw x w in one batch of 2B
  const products = antiDiagonalProducts(basis, tf.concat([cNw, cNw], 0), tf.concat([cNw, cW], 0));
  const p22 = fPowerQuadraticLoops(basis, products, sets.p22, tf.concat([f, f]) as tf.Tensor1D); // [2B, N] per name
  const d = dotLoops(basis, tf.concat([cNw, cW], 0), sets.p13.kernels);
  const K13 = sets.p13.terms.length;
  const f13nw = combineFPowers(tf.slice(d, [0, 0, 0], [B, K13, n]), sets.p13.terms, f);
  const f13w = combineFPowers(tf.slice(d, [B, 0, 0], [B, K13, n]), sets.p13.terms, f);
  const out: Arrays = { Pnw: pNw, Pw: pW };
  const k3e = tf.mul(k3, damping);
  for (const [name, q] of Object.entries(p22)) {
    out[`P22_${name}`] = tf.mul(k3e, tf.slice(q, [0, 0], [B, n])) as tf.Tensor2D;
    out[`P22w_${name}`] = tf.mul(tf.mul(k3e, tf.slice(q, [B, 0], [B, n])), 2) as tf.Tensor2D; // X_nw^T M (2 X_w)
  }
  for (const name of Object.keys(f13nw)) {
    const uv = uvTerm(linear, pNw, f, P13_UV_MU_POWERS[name]);
    out[`P13_${name}`] = tf.mul(tf.sub(tf.mul(tf.mul(k3, f13nw[name]), pNw), uv), damping) as tf.Tensor2D;
    out[`P13w_${name}`] = tf.mul(tf.mul(k3e, f13w[name]), pNw) as tf.Tensor2D; // no UV term
  }
  return out;
}

/**
 * IR on: AP projection of the μ-power loops, trees and counterterms onto l = 0, 2, 4
 * (CLASS-PT 4365-4564). `sigma2`, `deltaSigma2` are [B].
 */
export function projectMatterMultipoles(
  geo: ApGeometry,
  arrays: Arrays,
  secondDerivatives: (y: tf.Tensor3D) => tf.Tensor3D,
  f: tf.Tensor1D,
  sigma2: tf.Tensor1D,
  deltaSigma2: tf.Tensor1D,
): Arrays {
  const names = Object.keys(arrays);
  const B = geo.batch;
  const stacked = tf.stack(names.map((k) => arrays[k]), 1) as tf.Tensor3D; // [B, C, N]
  const y2 = secondDerivatives(stacked);
  const atKt = interpolateAtTrueK(geo, stacked, y2); // [B, C, J, G]
  const [, , J, G] = atKt.shape;
  const at: Record<string, tf.Tensor3D> = {};
  names.forEach((name, c) => {
    at[name] = tf.reshape(tf.slice(atKt, [0, c, 0, 0], [B, 1, J, G]), [B, J, G]);
  });
  const f3 = tf.reshape(f, [B, 1, 1]);
  const mu2 = geo.mu2t;
  const mu4 = tf.square(mu2);
  const mu6 = tf.mul(mu4, mu2);
  const mu8 = tf.square(mu4);
  const kt2 = tf.square(geo.kt);
  const sigmaTot = sigmaTotal(geo, f, sigma2, deltaSigma2);
  const damp = tf.exp(tf.neg(tf.mul(sigmaTot, kt2)));
  const pLo = tf.add(at.Pnw, tf.mul(at.Pw, damp)); // P_nw + P_w e
  const pTree = tf.add(at.Pnw, tf.mul(tf.mul(tf.add(1, tf.mul(sigmaTot, kt2)), at.Pw), damp));
  const ratio = tf.add(1, tf.mul(tf.div(at.Pw, at.Pnw), damp)); // P13ratio
  const channel = (p13: string | null, p22: string) => {
    let v = tf.add(at[`P22_${p22}`], tf.mul(at[`P22w_${p22}`], damp));
    if (p13) v = tf.add(v, tf.add(tf.mul(at[`P13_${p13}`], ratio), tf.mul(at[`P13w_${p13}`], damp)));
    return v;
  };
  const vv = tf.addN([
    tf.mul(channel('mu4_vv', 'mu4_vv'), mu4),
    tf.mul(channel('mu6', 'mu6_vv'), mu6),
    tf.mul(channel(null, 'mu8'), mu8),
  ]);
  const dd = tf.addN([channel('mu0_dd', 'mu0_dd'), tf.mul(channel('mu2_dd', 'mu2_dd'), mu2), tf.mul(channel(null, 'mu4_dd'), mu4)]);
  const vd = tf.addN([
    tf.mul(channel('mu2_vd', 'mu2_vd'), mu2),
    tf.mul(channel('mu4_vd', 'mu4_vd'), mu4),
    tf.mul(channel(null, 'mu6_vd'), mu6),
  ]);
  const ddWithTree = tf.add(dd, pTree); // CLASS-PT P1loopdd_ap_ir (trap T18)
  const vdWithTree = tf.add(vd, tf.mul(tf.mul(tf.mul(pTree, 2), f3), mu2)); // P1loopvd_ap_ir
  const treeVv = tf.mul(tf.mul(pTree, tf.square(f3)), mu4);
  const treeVd = tf.mul(tf.mul(tf.mul(pTree, 2), f3), mu2);
  const ctr = tf.mul(kt2, pLo);
  const P = (x: tf.Tensor, l: 0 | 2 | 4) => projectMultipole(geo, x, l);
  return {
    loop_0_vv: P(vv, 0),
    loop_0_vd: P(vd, 0),
    loop_0_dd: P(dd, 0),
    loop_2_vv: P(vv, 2),
    loop_2_vd: P(vd, 2),
    loop_2_dd: P(ddWithTree, 2),
    loop_4_vv: P(vv, 4),
    loop_4_vd: P(vdWithTree, 4),
    loop_4_dd: P(ddWithTree, 4),
    tree_0_vv: P(treeVv, 0),
    tree_0_vd: P(treeVd, 0),
    tree_0_dd: P(pTree, 0),
    tree_2_vv: P(treeVv, 2),
    tree_2_vd: P(treeVd, 2),
    tree_4_vv: P(treeVv, 4),
    ctr_0: tf.neg(P(ctr, 0)) as tf.Tensor2D,
    ctr_2: tf.neg(P(tf.mul(tf.mul(ctr, f3), mu2), 2)) as tf.Tensor2D,
    ctr_4: tf.neg(P(tf.mul(tf.mul(ctr, tf.square(f3)), mu4), 4)) as tf.Tensor2D,
  };
}

/** IR off: analytic multipoles on P_bin, no AP (CLASS-PT 3668-3912). */
export function analyticMatterMultipoles(plan: Plan, linear: LinearStage, f: tf.Tensor1D): Arrays {
  const { basis } = plan.matter;
  const sets = plan.rsdIrOff();
  const B = linear.pBin.length;
  const pBin = linearTensorsOf(linear).pBin;
  const k2 = gridPowers(linear, 2);
  const k3 = gridPowers(linear, 3);
  const damping = tf.tensor1d(Float32Array.from(plan.uvDamping));
  const coef = fftlogCoefficients(basis, pBin);
  const p22 = fPowerQuadraticLoops(basis, antiDiagonalProducts(basis, coef), sets.p22, f);
  const f13 = combineFPowers(dotLoops(basis, coef, sets.p13.kernels), sets.p13.terms, f);
  const fb = tf.reshape(f, [B, 1]);
  const out: Arrays = {};
  for (const name of Object.keys(p22)) {
    let loop = tf.mul(tf.mul(k3, p22[name]), damping);
    if (f13[name]) {
      const uv = uvTerm(linear, pBin, f, P13_UV_MULTIPOLES[name]);
      loop = tf.add(loop, tf.mul(tf.sub(tf.mul(tf.mul(k3, f13[name]), pBin), uv), damping));
    }
    out[`loop_${name}`] = loop as tf.Tensor2D;
  }
  const f2 = tf.square(fb);
  out.tree_0_vv = tf.mul(pBin, tf.div(f2, 5)) as tf.Tensor2D;
  out.tree_0_vd = tf.mul(pBin, tf.mul(fb, 2 / 3)) as tf.Tensor2D;
  out.tree_0_dd = pBin;
  out.tree_2_vv = tf.mul(pBin, tf.mul(f2, 4 / 7)) as tf.Tensor2D;
  out.tree_2_vd = tf.mul(pBin, tf.mul(fb, 4 / 3)) as tf.Tensor2D;
  out.tree_4_vv = tf.mul(pBin, tf.mul(f2, 8 / 35)) as tf.Tensor2D;
  const ctr = tf.neg(tf.mul(k2, pBin));
  out.ctr_0 = ctr as tf.Tensor2D;
  out.ctr_2 = tf.mul(ctr, tf.mul(fb, 2 / 3)) as tf.Tensor2D;
  out.ctr_4 = tf.mul(ctr, tf.mul(f2, 8 / 35)) as tf.Tensor2D;
  return out;
}
