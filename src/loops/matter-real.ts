/**
 * Real-space matter at one loop on the FFTLog grid (CLASS-PT `nonlinear_pt_loop`, "MATTER
 * ONE-LOOP INTEGRALS"), batched over cosmologies:
 *   P13 = (k^3 Re(X.M13) P_bin - (61/105) sigma_v^2 k^2 P_bin) e^{-(k/3h)^6}
 *   P22 = k^3 Re(X^T M22 X) e^{-(k/3h)^6},        loop = P13 + P22,
 *   tree = P_tree,   ctr = -k^2 P_bin (classy's sign for row 10),
 * with X built from P_bin on the b = -0.3 basis.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import type { Plan } from '../plan';
import { linearTensorsOf, type LinearStage } from '../input/linear-stage';
import { antiDiagonalProducts, dotLoops, fftlogCoefficients, quadraticLoops } from './loop-integrals';
import { dotStack64, exactStack, plainTerms, quadraticStack64, type HostLoopContext } from './exact-loops';
import { analyze } from '../fftlog/decomposition';

/** Row-major [B, N] float32 tensor from per-cosmology float64 arrays. */
export function batchTensor(rows: Float64Array[]): tf.Tensor2D {
  const B = rows.length;
  const n = rows[0].length;
  const data = new Float32Array(B * n);
  rows.forEach((r, b) => data.set(r, b * n));
  return tf.tensor2d(data, [B, n]);
}

/**
 * Per-cosmology powers of the grid k (1/Mpc), as [B, N] tensors. With h given as a tensor the
 * nodes are k_j = h q_j and the powers carry (h / h_host)^power (value 1), so d/dh reaches them.
 */
export function gridPowers(linear: LinearStage, power: number): tf.Tensor2D {
  const k = batchTensor(linear.gridKMpc.map((k) => k.map((v) => Math.pow(v, power))));
  const scale = linear.tensors?.gridScale;
  return scale ? (own.mul(k, tf.reshape(tf.pow(scale, power), [-1, 1])) as tf.Tensor2D) : k;
}

export function matterRealSpace(plan: Plan, linear: LinearStage, host: Pick<HostLoopContext, 'differentiable'>): Record<string, tf.Tensor2D> {
  return tf.tidy(() => {
    const { basis, p13, p22 } = plan.matter;
    const B = linear.pBin.length;
    const n = plan.n;
    const lt = linearTensorsOf(linear);
    const pBin = lt.pBin;
    const k2 = gridPowers(linear, 2);
    // the loop in float64 (./exact-loops), the float32 twin only where a gradient can reach it
    const x = linear.pBin.map((p) => analyze(basis.shape, p));
    const ones = linear.pBin.map(() => 1);
    const e13 = dotStack64(basis, p13, plainTerms(p13.names), x, ones).values;
    const e22 = quadraticStack64(basis, p22, plainTerms(p22.names), x, x, ones).values;
    const loop64 = new Float64Array(B * n);
    for (let b = 0; b < B; b++) {
      const k = linear.gridKMpc[b];
      const p = linear.pBin[b];
      const uv = (61 / 105) * linear.sigmaV2[b];
      for (let j = 0; j < n; j++) {
        const i = b * n + j;
        const k3 = k[j] * k[j] * k[j];
        loop64[i] = ((k3 * e13[i] - uv * k[j] * k[j]) * p[j] + k3 * e22[i]) * plan.uvDamping[j];
      }
    }
    const tensorPath = () => {
      const k3 = gridPowers(linear, 3);
      // the UV subtraction's sigma_v^2 k^2 (CLASS-PT `P13UV`), per cosmology
      const sigmaK2 = own.mul(k2, tf.reshape(own.mul(lt.sigmaV2, 61 / 105), [B, 1]));
      const damping = tf.tensor1d(Float32Array.from(plan.uvDamping));
      const coef = fftlogCoefficients(basis, pBin, linear.pBin);
      const f13 = tf.reshape(dotLoops(basis, coef, p13), [B, n]);
      const f22 = tf.reshape(quadraticLoops(basis, antiDiagonalProducts(basis, coef), p22), [B, n]);
      const p13Term = own.mul(own.mul(tf.sub(own.mul(k3, f13), sigmaK2), pBin), damping);
      const p22Term = own.mul(own.mul(k3, f22), damping);
      return tf.reshape(tf.add(p13Term, p22Term), [B, 1, n]) as tf.Tensor3D;
    };
    return {
      loop: tf.reshape(exactStack(loop64, [B, 1, n], host.differentiable ? tensorPath : undefined), [B, n]) as tf.Tensor2D,
      tree: lt.pTree,
      ctr: tf.neg(own.mul(k2, pBin)) as tf.Tensor2D,
    };
  });
}
