/**
 * IR resummation on the FFTLog grid (`nonlinear_pt_ir_resummation`, nonlinear_pt.c 2950-3000,
 * and the IR-off branch of `nonlinear_pt_loop`, 3287-3301). Float64, host side.
 *
 * Where k and alpha k both lie in [7e-5, 7] 1/Mpc (`nonlinear_pt_ir_resummation`'s assembly on kdisc):
 *   P_nw(k)  = natural spline in k of P_nw on the DST grid
 *   P_w(k)   = P_L(alpha k) - P_nw(alpha k)            (0 with `noWiggle`)
 *   P_bin    = P_nw + P_w e^{-Sigma^2 k^2}
 * elsewhere P_nw = P_bin = P_disc, P_w = 0; everywhere P_tree = P_nw + P_w e^{-Sigma^2 k^2}(1 + Sigma^2 k^2).
 * The transfer-function parts (T_nw, T_w, T_bin) are not computed here.
 */
import { logPowerInterpolator, type LinearPowerInput } from '../input/linear-power';
import { splineEvaluate } from '../numerics/spline';
import { baoDampingScales } from './damping';
import { K_MAX_IR_MPC, K_MIN_IR_MPC, noWiggleSpectrum } from './wiggle-split';

export interface IrResummationOptions {
  /** the linear spectrum (validated by the caller) */
  input: LinearPowerInput;
  /** FFTLog nodes in 1/Mpc (`fftlogGrid(n, h).kMpc`) */
  kGridMpc: Float64Array;
  /** reduced Hubble constant (sets the Sigma^2 upper limit 0.2 h) */
  h: number;
  /** sound horizon at baryon drag, Mpc */
  rsDragMpc: number;
  /** CLASS-PT `alpha_rs`: the wiggle part taken at alpha k (default 1) */
  alphaRs?: number;
  /** CLASS-PT `no-wiggle`: P_w = 0 (P_nw unchanged) */
  noWiggle?: boolean;
}

/** The linear-stage spectra on the FFTLog grid (Mpc^3) and the damping scales (Mpc^2). */
export interface IrSpectra {
  pDisc: Float64Array;
  pNoWiggle: Float64Array;
  pWiggle: Float64Array;
  /** P_w before `noWiggle` zeroes it: the fNL transfer split keeps it (`nonlinear_pt_ir_resummation`, nonlinear_pt.c 2981-2986) */
  pWiggleRaw: Float64Array;
  pBin: Float64Array;
  pTree: Float64Array;
  sigma2Bao: number;
  deltaSigma2Bao: number;
  /** P_nw on the DST grid and its spline's second derivatives (the reverse pass reuses them; IR resummation on) */
  noWiggleDst?: { pNw: Float64Array; pNwDD: Float64Array };
}

export function irResummation(opts: IrResummationOptions): IrSpectra {
  const { input, kGridMpc: k, h, rsDragMpc } = opts;
  const alpha = opts.alphaRs ?? 1;
  const noWiggle = opts.noWiggle ?? false;
  const interp = logPowerInterpolator(input);
  const pDisc = interp.powerAt(k);
  const nw = noWiggleSpectrum(interp);
  const { sigma2Bao, deltaSigma2Bao } = baoDampingScales(nw, h, rsDragMpc);

  const n = k.length;
  const inRange = (t: number) => t <= K_MAX_IR_MPC && t >= K_MIN_IR_MPC;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (inRange(k[i]) && inRange(alpha * k[i])) idx.push(i);
  const kIn = idx.map((i) => k[i]);
  const akIn = idx.map((i) => alpha * k[i]);
  const pNwIn = splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, kIn);
  const pNwAlpha = alpha === 1 ? pNwIn : splineEvaluate(nw.kMpc, nw.pNw, nw.pNwDD, akIn);
  const pLAlpha = alpha === 1 ? pDisc : interp.powerAt(akIn);

  const pNoWiggle = Float64Array.from(pDisc);
  const pWiggle = new Float64Array(n);
  const pWiggleRaw = new Float64Array(n);
  const pBin = Float64Array.from(pDisc);
  const pTree = new Float64Array(n);
  idx.forEach((i, m) => {
    const pl = alpha === 1 ? pLAlpha[i] : pLAlpha[m];
    pNoWiggle[i] = pNwIn[m];
    pWiggleRaw[i] = pl - pNwAlpha[m];
    pWiggle[i] = noWiggle ? 0 : pWiggleRaw[i];
    pBin[i] = pNoWiggle[i] + pWiggle[i] * Math.exp(-sigma2Bao * k[i] * k[i]);
  });
  for (let i = 0; i < n; i++) {
    const s2k2 = sigma2Bao * k[i] * k[i];
    pTree[i] = pNoWiggle[i] + pWiggle[i] * Math.exp(-s2k2) * (1 + s2k2);
  }
  return { pDisc, pNoWiggle, pWiggle, pWiggleRaw, pBin, pTree, sigma2Bao, deltaSigma2Bao, noWiggleDst: { pNw: nw.pNw, pNwDD: nw.pNwDD } };
}

/**
 * IR resummation off (nonlinear_pt.c 3287-3301): P_nw = P_bin = P_tree = P_disc, P_w = 0,
 * Sigma^2 = delta Sigma^2 = 0 (CLASS-PT leaves them at their initial 0).
 */
export function irResummationOff(input: LinearPowerInput, kGridMpc: Float64Array): IrSpectra {
  const pDisc = logPowerInterpolator(input).powerAt(kGridMpc);
  return {
    pDisc,
    pNoWiggle: Float64Array.from(pDisc),
    pWiggle: new Float64Array(kGridMpc.length),
    pWiggleRaw: new Float64Array(kGridMpc.length),
    pBin: Float64Array.from(pDisc),
    pTree: Float64Array.from(pDisc),
    sigma2Bao: 0,
    deltaSigma2Bao: 0,
  };
}
