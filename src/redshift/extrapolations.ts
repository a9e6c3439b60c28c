/**
 * CLASS-PT's values outside the range where it computes the redshift-space rows.
 *
 * `nonlinear_pt_loop` computes the redshift-space rows (and the bias monopoles Id2d2, Id2G2,
 * IG2G2, also in real space) only at FFTLog nodes kdisc[Nside] <= k <= kdisc[N - 1 - Nside]
 * (Nside = 10 with AP, 1 without; `kminnew`, `kmaxnew`); its output splines
 * (`SPLINE_INTERP_OUTPUT`, `SPLINE_INTERP_BATCH`) put a fixed expression at every k outside that
 * range. For the API's output range [5e-5 h, 100 h] this matters above 56.6 h/Mpc (N = 256;
 * 31.9 h for N = 128, 75.2 h for N = 512) and below 8.8e-5 h/Mpc. classy then removes the offsets
 * and applies its signs, which leaves (P_L, sigma_v^2 and f of the cosmology):
 *
 *   loop_l_xx   -sigma_v^2 k^2 P_L c_l_xx(f)     (the IR-off UV coefficients, CLASS-PT's out expressions)
 *   loop_4_dd   ir4dd (k / kminnew)^4            (ir4dd: the row at kminnew; e^{-(k/3)^4} as inside)
 *   ctr_0,2,4   -k^2 P_L {1, 2f/3, 8f^2/35}
 *   tree_*      P_L {f^2/5, 2f/3, 1, 4f^2/7, 4f/3, 8f^2/35}
 *   bias rows   +-epsilon (classy's sign of the row; epsilon_for_logs = 1e-6) or 0, see OUT_CONSTANT
 *
 * P_L at the output k is the input interpolation (../input/linear-power `powerAt`; exact at the
 * input nodes, where CLASS-PT evaluates it), as a tensor of the input spectrum with its exact
 * vector-Jacobian product, so gradients reach these values too.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { logPowerInterpolator, type LinearPowerInput } from '../input/linear-power';
import { splineAdjoint } from '../numerics/spline';
import { fPolynomialCoefficients } from '../kernels/f-power-kernels';
import { P13_UV_MULTIPOLES } from '../kernels/rsd-matter';

/** CLASS-PT `epsilon_for_logs` (and `epsilon_for_logs_fNL`): the floor of its extrapolations. */
const EPSILON = 1e-6;

/**
 * Rows whose extrapolation is a constant after classy's transform: raw - offset (sign +) or
 * offset - raw (sign -) of CLASS-PT's `offset + epsilon` or `offset` (the fNL rows are further
 * multiplied by classy's sqrt(A_s) 1944/625 pi^4: `fnl` marks them).
 */
const OUT_CONSTANT: Record<string, number> = {
  // bias multipoles: epsilon + large_for_logs_big
  '0_b1b2': EPSILON, '0_b2': EPSILON, '2_b1b2': EPSILON, '2_b2': EPSILON, '4_b2': EPSILON, '4_b1b2': EPSILON, '4_b1bG2': EPSILON,
  '0_b1bG2': -EPSILON, '0_bG2': -EPSILON, '2_b1bG2': -EPSILON, '2_bG2': -EPSILON, '4_bG2': -EPSILON,
  // isotropic bias monopoles (rows 1, 4, 5): epsilon + large_for_logs_big, classy signs -, -, +
  Id2d2: -EPSILON, Id2G2: -EPSILON, IG2G2: EPSILON,
  // their l = 2, 4 projections and the IFG2 multipoles: large_for_logs_big alone
  Id2d2_2: 0, Id2d2_4: 0, Id2G2_2: 0, Id2G2_4: 0, IG2G2_2: 0, IG2G2_4: 0, IFG2_0b1: 0, IFG2_0: 0, IFG2_2: 0,
};

/** fNL redshift-space rows: large_for_logs_fNL + epsilon_for_logs_fNL, i.e. epsilon times classy's factor. */
const FNL_OUT = /^fNL(ortho)?_(\d_(vv|vd|dd)|12_\d_(b1b2|b2|b1bG2|bG2))$/;

const TREES: Record<string, [number, number]> = {
  // [coefficient, power of f]
  tree_0_vv: [1 / 5, 2], tree_0_vd: [2 / 3, 1], tree_0_dd: [1, 0], tree_2_vv: [4 / 7, 2], tree_2_vd: [4 / 3, 1], tree_4_vv: [8 / 35, 2],
};
const COUNTERTERMS: Record<string, [number, number]> = { ctr_0: [1, 0], ctr_2: [2 / 3, 1], ctr_4: [8 / 35, 2] };

/** P_L at `kEval` (1/Mpc) as a tensor [nEval] of the input values `pk` [nIn], with its exact VJP. */
export function linearPowerAt(pk: tf.Tensor1D, input: LinearPowerInput, kEval: Float64Array): tf.Tensor1D {
  const interp = logPowerInterpolator(input);
  const values = interp.powerAt(kEval);
  const n = input.kMpc.length;
  const lnkEval = Float64Array.from(kEval, Math.log);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    void args;
    return {
      value: tf.tensor1d(Float32Array.from(values)),
      gradFunc: (dy: tf.Tensor) => {
        // P = exp(lnP(ln k)), lnP linear in ln p_i: dP/dp_i = P dlnP/dlnp_i / p_i
        const g = dy.dataSync();
        const gl = Float64Array.from(g, (v, e) => v * values[e]); // dL/dlnP at each point
        const gLnp = new Float64Array(n);
        const inside: number[] = [];
        lnkEval.forEach((t, e) => {
          if (t < interp.lnk[0]) gLnp[0] += gl[e]; // lnp_0 + n_s (ln k - ln k_0)
          else if (t > interp.lnk[n - 1]) {
            // lnp_{n-1} + slope (ln k - ln k_{n-1}), slope = (lnp_{n-1} - lnp_{n-2}) / (ln k_{n-1} - ln k_{n-2})
            const s = (t - interp.lnk[n - 1]) / (interp.lnk[n - 1] - interp.lnk[n - 2]);
            gLnp[n - 1] += gl[e] * (1 + s);
            gLnp[n - 2] -= gl[e] * s;
          } else inside.push(e);
        });
        if (inside.length) {
          const order = inside.sort((a, b) => lnkEval[a] - lnkEval[b]);
          const adj = splineAdjoint(interp.lnk, order.map((e) => lnkEval[e]), order.map((e) => gl[e]));
          for (let i = 0; i < n; i++) gLnp[i] += adj[i];
        }
        return tf.tensor1d(Float32Array.from(gLnp, (v, i) => v / input.pkMpc3[i]));
      },
    };
  });
  return op(pk) as tf.Tensor1D;
}

export interface ExtrapolationInputs {
  /** FFTLog nodes per cosmology (1/Mpc) */
  gridKMpc: Float64Array[];
  kOutMpc: Float64Array[];
  nSide: number;
  /** per cosmology: the input spectrum (host values) and the tensor it is given as */
  inputs: LinearPowerInput[];
  pk: tf.Tensor1D[];
  /** [B] tensors */
  f: tf.Tensor1D;
  sigmaV2: tf.Tensor1D;
  /** the loop_4_dd row on the grid [B, N] (before the output cut e^{-(k/3)^4}) */
  loop4ddGrid?: tf.Tensor2D;
  /** classy's factor of the fNL rows, [B, 1] (with PNG) */
  fnlFactor?: tf.Tensor;
}

/** Per cosmology and output k: whether k lies outside [kdisc[Nside], kdisc[N-1-Nside]]. */
export function outsideComputedRange(gridKMpc: Float64Array[], kOutMpc: Float64Array[], nSide: number): boolean[][] {
  return kOutMpc.map((k, b) => {
    const grid = gridKMpc[b];
    const lo = grid[nSide];
    const hi = grid[grid.length - 1 - nSide];
    return Array.from(k, (v) => v < lo || v > hi);
  });
}

/** Whether a row is replaced outside the range (the redshift-space rows and the bias monopoles). */
export function extrapolatedRow(name: string): boolean {
  return name in OUT_CONSTANT || name in TREES || name in COUNTERTERMS || FNL_OUT.test(name) ||
    name === 'loop_4_dd' || `${name}`.replace(/^loop_/, '') in P13_UV_MULTIPOLES;
}

/**
 * Replaces the rows at output k outside [kdisc[Nside], kdisc[N-1-Nside]] by CLASS-PT's
 * extrapolations (see above); other rows (real space, fNL real space) are unchanged. Call it on
 * the rows at the output k, after the output cut of loop_4_dd and the fNL factor. Nothing is
 * done when every output k lies inside.
 */
export function applyExtrapolations(rows: Record<string, tf.Tensor2D>, x: ExtrapolationInputs): void {
  const B = x.kOutMpc.length;
  const nOut = x.kOutMpc[0].length;
  const outside = outsideComputedRange(x.gridKMpc, x.kOutMpc, x.nSide);
  if (!outside.some((m) => m.includes(true))) return;
  const maskData = new Float32Array(B * nOut);
  outside.forEach((m, b) => m.forEach((o, i) => (maskData[b * nOut + i] = o ? 1 : 0)));
  const mask = tf.tensor2d(maskData, [B, nOut]);
  const keep = tf.sub(1, mask);
  const replace = (name: string, value: tf.Tensor) => {
    if (rows[name]) rows[name] = tf.add(own.mul(rows[name], keep), own.mul(value, mask)) as tf.Tensor2D;
  };
  // P_L at every output k outside the range (inside, where the value is masked away, at kminnew)
  const pl = tf.stack(x.kOutMpc.map((k, b) => {
    const kEval = Float64Array.from(k, (v, i) => (outside[b][i] ? v : x.gridKMpc[b][x.nSide]));
    return linearPowerAt(x.pk[b], x.inputs[b], kEval);
  })) as tf.Tensor2D; // [B, nOut]
  const k2 = tf.tensor2d(Float32Array.from(x.kOutMpc.flatMap((k) => Array.from(k, (v) => v * v))), [B, nOut]);
  const fb = tf.reshape(x.f, [B, 1]);
  const fPow = (p: number) => (p === 0 ? tf.onesLike(fb) : p === 1 ? fb : tf.square(fb));
  const k2pl = own.mul(k2, pl);
  const sv2k2pl = own.mul(tf.reshape(x.sigmaV2, [B, 1]), k2pl);
  for (const [name, text] of Object.entries(P13_UV_MULTIPOLES)) {
    const c = fPolynomialCoefficients(text);
    let cf: tf.Tensor = tf.zerosLike(fb);
    for (let q = c.length - 1; q >= 0; q--) cf = tf.add(own.mul(cf, fb), c[q]);
    replace(`loop_${name}`, tf.neg(own.mul(sv2k2pl, cf)));
  }
  if (x.loop4ddGrid) {
    // ir4dd (k/kminnew)^4, times CLASS-PT's e^{-(k/3)^4} (k in 1/Mpc), as inside
    const ir4dd = own.slice(x.loop4ddGrid, [0, x.nSide], [B, 1]);
    const shape = Float32Array.from(x.kOutMpc.flatMap((k, b) => Array.from(k, (v) => (v / x.gridKMpc[b][x.nSide]) ** 4 * Math.exp(-((v / 3) ** 4)))));
    replace('loop_4_dd', own.mul(ir4dd, tf.tensor2d(shape, [B, nOut])));
  }
  for (const [name, [c, p]] of Object.entries(TREES)) replace(name, own.mul(pl, own.mul(fPow(p), c)));
  for (const [name, [c, p]] of Object.entries(COUNTERTERMS)) replace(name, tf.neg(own.mul(k2pl, own.mul(fPow(p), c))));
  for (const [name, v] of Object.entries(OUT_CONSTANT)) replace(name, tf.fill([B, nOut], v));
  if (x.fnlFactor) for (const name of Object.keys(rows)) if (FNL_OUT.test(name)) replace(name, own.mul(x.fnlFactor, tf.fill([B, nOut], EPSILON)));
}
