/**
 * The vector-Jacobian product of the host linear stage (input interpolation, sigma_v^2 and the
 * IR resummation of `nonlinear_pt_ir_resummation`), in float64: the exact gradient of P_nw,
 * P_w, P_bin, P_tree on the FFTLog grid, sigma_v^2, Sigma^2 and delta Sigma^2 with respect to the
 * input P_lin values and r_s,drag.
 *
 * Every step is linear or elementwise: ln P -> (spline in ln k, power laws) -> ln(kP) on the DST
 * grid -> DST-II -> harmonic removal (spline) -> inverse DST -> exp(.)/k -> spline in k (FFTLog
 * nodes, alpha k nodes, the 501 q of Sigma^2) -> the assembly of P_w, P_bin, P_tree. The
 * transposes come from ../numerics (dst2Transpose, idst2Transpose, splineAdjoint) and
 * ./wiggle-split (removeBaoHarmonicsTranspose); the forward pieces are recomputed here.
 */
import { logPowerInterpolator, type LinearPowerInput, type LogPowerInterpolator } from '../input/linear-power';
import { splineAdjoint, splineEvaluate } from '../numerics/spline';
import { dampingGrid, deltaSigmaKernel, deltaSigmaKernelDerivative, sigmaKernel, sigmaKernelDerivative } from './damping';
import {
  dst2Transpose,
  idst2Transpose,
  irInputLogK,
  K_MAX_IR_MPC,
  K_MIN_IR_MPC,
  noWiggleSpectrum,
  noWiggleSpectrumFrom,
  removeBaoHarmonicsTranspose,
  type NoWiggleSpectrum,
} from './wiggle-split';
import { linearStageHGradient } from './grid-scale-tangent';

export interface LinearStageCotangents {
  pNoWiggle: Float64Array;
  pWiggle: Float64Array;
  pBin: Float64Array;
  pTree: Float64Array;
  sigmaV2: number;
  sigma2Bao: number;
  deltaSigma2Bao: number;
}

export interface LinearStageGradient {
  /** d/dP_lin on the input grid (Mpc^3 per Mpc^3) */
  pkMpc3: Float64Array;
  /** d/d r_s,drag (per Mpc) */
  rsDragMpc: number;
  /** d/dh through the h-dependent grids (./grid-scale-tangent.ts), when requested */
  h?: number;
}

export interface LinearStageSetup {
  input: LinearPowerInput;
  kGridMpc: Float64Array;
  h: number;
  rsDragMpc: number;
  irResummation: boolean;
  alphaRs: number;
  noWiggle: boolean;
  /** the forward's P_nw on the DST grid (recomputed when absent) */
  noWiggleDst?: { pNw: Float64Array; pNwDD: Float64Array };
}

/**
 * Adds the adjoint of ln P(ln k_e) (the three input rules) for cotangents g on ln P at lnkEval
 * into gLnp (cotangent of ln P on the input grid).
 */
function lnPowerAdjoint(interp: LogPowerInterpolator, lnkEval: ArrayLike<number>, g: ArrayLike<number>, gLnp: Float64Array): void {
  const { lnk } = interp;
  const n = lnk.length;
  const lo = lnk[0];
  const hi = lnk[n - 1];
  const dHi = lnk[n - 1] - lnk[n - 2];
  const inT = new Float64Array(lnkEval.length);
  const inG = new Float64Array(lnkEval.length);
  let nInside = 0;
  for (let e = 0; e < lnkEval.length; e++) {
    const t = lnkEval[e];
    const ge = g[e];
    if (ge === 0) continue;
    if (t < lo) gLnp[0] += ge; // ln P_0 + n_s (t - ln k_0)
    else if (t > hi) {
      // ln P_{n-1} + slope (t - ln k_{n-1}), slope = (ln P_{n-1} - ln P_{n-2}) / dHi
      const w = (t - hi) / dHi;
      gLnp[n - 1] += ge * (1 + w);
      gLnp[n - 2] -= ge * w;
    } else {
      inT[nInside] = t;
      inG[nInside++] = ge;
    }
  }
  if (nInside) {
    const back = splineAdjoint(lnk, inT.subarray(0, nInside), inG.subarray(0, nInside));
    for (let i = 0; i < n; i++) gLnp[i] += back[i];
  }
}

/** Gradient of the linear stage outputs' scalar product with the cotangents. */
export function linearStageVjp(setup: LinearStageSetup, dy: LinearStageCotangents, options: { h?: boolean } = {}): LinearStageGradient {
  const { input, kGridMpc: k, h, rsDragMpc: r, alphaRs: alpha } = setup;
  const interp = logPowerInterpolator(input);
  let nwShared: NoWiggleSpectrum | undefined;
  const nIn = input.kMpc.length;
  const n = k.length;
  const gLnp = new Float64Array(nIn); // cotangent of ln P on the input grid
  const gPk = new Float64Array(nIn); // direct cotangent of P (sigma_v^2)
  let gRs = 0;

  // sigma_v^2 = sum_i dlnk_i (k_{i+1} P_{i+1} + k_i P_i) / 2 / (6 pi^2)
  const c6 = 1 / (6 * Math.PI * Math.PI);
  for (let i = 0; i < nIn - 1; i++) {
    const w = ((Math.log(input.kMpc[i + 1]) - Math.log(input.kMpc[i])) / 2) * c6 * dy.sigmaV2;
    gPk[i] += w * input.kMpc[i];
    gPk[i + 1] += w * input.kMpc[i + 1];
  }

  // cotangent of P_disc at chosen points (k and alpha k), later pulled back through exp(ln P)
  const discPoints: number[] = [];
  const discG: number[] = [];

  if (!setup.irResummation) {
    for (let j = 0; j < n; j++) {
      discPoints.push(k[j]);
      discG.push(dy.pNoWiggle[j] + dy.pBin[j] + dy.pTree[j]);
    }
  } else {
    const nw = setup.noWiggleDst ? noWiggleSpectrumFrom(setup.noWiggleDst) : noWiggleSpectrum(interp);
    nwShared = nw;
    const q = dampingGrid(h);
    const pq = splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, q);
    // Sigma^2, delta Sigma^2 (forward, for the assembly cotangents)
    const tw = new Float64Array(q.length); // trapezoid weights of int dq f = sum_i tw_i q_i f_i
    for (let i = 0; i < q.length - 1; i++) {
      const d = (Math.log(q[i + 1]) - Math.log(q[i])) / 2;
      tw[i] += d;
      tw[i + 1] += d;
    }
    const kSig = sigmaKernel;
    const kDel = deltaSigmaKernel;
    const dkSig = sigmaKernelDerivative;
    const dkDel = deltaSigmaKernelDerivative;
    const c2 = 1 / (2 * Math.PI * Math.PI);
    let sigma2 = 0;
    for (let i = 0; i < q.length; i++) sigma2 += tw[i] * q[i] * pq[i] * kSig(q[i] * r) * c6;

    const inRange = (t: number) => t <= K_MAX_IR_MPC && t >= K_MIN_IR_MPC;
    const gNwAtK: number[] = [];
    const kIn: number[] = [];
    const gNwAtAk: number[] = [];
    const akIn: number[] = [];
    const inside = Array.from(k, (v) => inRange(v) && inRange(alpha * v));
    const akAll = k.filter((_, j) => inside[j]).map((v) => alpha * v);
    const pNwAkIn = splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, akAll);
    const pDiscAkIn = interp.powerAt(akAll);
    let m = 0;
    let gSigma2 = dy.sigma2Bao;
    for (let j = 0; j < n; j++) {
      if (inside[j]) {
        const k2 = k[j] * k[j];
        const e = Math.exp(-sigma2 * k2);
        const pW = setup.noWiggle ? 0 : pDiscAkIn[m] - pNwAkIn[m];
        m++;
        kIn.push(k[j]);
        gNwAtK.push(dy.pNoWiggle[j] + dy.pBin[j] + dy.pTree[j]);
        // P_bin = P_nw + P_w e, P_tree = P_nw + P_w e (1 + Sigma^2 k^2)
        gSigma2 += pW * e * k2 * (-dy.pBin[j] - dy.pTree[j] * sigma2 * k2);
        if (!setup.noWiggle) {
          const gW = dy.pWiggle[j] + dy.pBin[j] * e + dy.pTree[j] * e * (1 + sigma2 * k2);
          akIn.push(alpha * k[j]);
          gNwAtAk.push(-gW);
          discPoints.push(alpha * k[j]);
          discG.push(gW);
        }
      } else {
        discPoints.push(k[j]);
        discG.push(dy.pNoWiggle[j] + dy.pBin[j] + dy.pTree[j]);
      }
    }
    // r_s enters the damping kernels
    for (let i = 0; i < q.length; i++) {
      const x = q[i] * r;
      gRs += tw[i] * q[i] * pq[i] * q[i] * (gSigma2 * c6 * dkSig(x) + dy.deltaSigma2Bao * c2 * dkDel(x));
    }
    // back to P_nw on the DST grid: spline adjoints at k, alpha k and q
    const gq = q.map((_, i) => tw[i] * q[i] * (gSigma2 * c6 * kSig(q[i] * r) + dy.deltaSigma2Bao * c2 * kDel(q[i] * r)));
    const gPnwIr = splineAdjoint(nw.knots, [...q, ...kIn, ...akIn], [...gq, ...gNwAtK, ...gNwAtAk]);
    // P_nw = exp(s)/k with s = idst2(R dst2(ln kP)):  ds = g P_nw
    const gSmooth = gPnwIr.map((g, i) => g * nw.pNw[i]);
    const gLogKP = dst2Transpose(removeBaoHarmonicsTranspose(idst2Transpose(gSmooth)));
    // ln kP = ln k + ln P(ln k) on the DST input grid
    lnPowerAdjoint(interp, irInputLogK(), gLogKP, gLnp);
  }

  // P_disc at the collected points: P = exp(ln P(ln k)) -> cotangent on ln P = g P
  if (discPoints.length) {
    const p = interp.powerAt(discPoints);
    lnPowerAdjoint(
      interp,
      discPoints.map(Math.log),
      discG.map((g, i) => g * p[i]),
      gLnp,
    );
  }
  for (let i = 0; i < nIn; i++) gPk[i] += gLnp[i] / input.pkMpc3[i];
  const gH = options.h ? linearStageHGradient(setup, dy, { interp, nw: nwShared }) : undefined;
  return { pkMpc3: gPk, rsDragMpc: gRs, h: gH };
}
