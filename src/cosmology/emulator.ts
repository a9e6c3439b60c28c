/**
 * The linear-P(k) and growth emulator: cosmological parameters and z in, differentiable tfjs
 * tensors out (P_cb, P_m in Mpc^3 at any k in [1e-4, 20] 1/Mpc, f, D, r_s,drag, H, D_A, sigma8).
 *
 *   log P_cb(k, z) = log[A_s (k/0.05)^(n_s-1)] + log P_base(k; omega_b, omega_cdm, h, m_ncdm, z)
 *                    + sum_c a_c(x) e_c(k)
 *   log P_m = log P_cb + sum_c b_c(x) u_c(k)
 *
 * with x = (omega_b, omega_cdm, h, m_ncdm, a = 1/(1+z)) normalised to [-1, 1], e_c, u_c the PCA
 * components of the training residuals on the 160 training k, and a_c, b_c (and the log f,
 * log D corrections) polynomials in x (Legendre basis) fitted by `npm run train:emulator`
 * (weights in data/linear-emulator.json). The baseline is evaluated exactly at the output k;
 * the smooth residual is carried to it by a natural cubic spline in ln k (a fixed linear map).
 * H and D_A are not emulated: they are CLASS's background formulas (./background.ts).
 * Evaluators of the same fit: `evaluateHost` / `evaluateHostAt` (float64 numbers, optionally
 * with the exact Jacobian in the six parameters: ./emulator-host.ts) and `evaluate` (float32
 * tensors, differentiable in every parameter and z).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { tensorOps } from './ops';
import { emulateHost, emulateHostAt, type HostRow, type HostRowJacobian } from './emulator-host';
export type { HostRow, HostRowJacobian } from './emulator-host';
import { logBaselineNoPrimordial, logGrowthBaselines, logPrimordial } from './baseline';
import { ehCoefficients, ehScales } from './eisenstein-hu';
import { C_KM_S, DISTANCE_RULE, hubbleE, hostBackground, ncdmEnergyFactorTensor, densities } from './background';
import { basisFromLegendre, legendreTensor, multiIndices, selectionMatrix } from './polynomial';
import { COSMO_PARAM_NAMES, validateCosmoParams, validateKMpc, validateRedshifts, type CosmoParamName, type CosmoParams } from './params';
import { splineOperator } from '../numerics/spline';
import { engineGrid, OffNodeCorrection, type OffNodeCorrectionFile } from './off-node-correction';
import { base64ToFloat64 } from '../numerics/base64';
// The shipped weights as a module (bundled into the library: no file read, so the core runs in
// browsers too). 0.8 MB of JSON, parsed once when the library loads.
import shippedWeights from '../../data/linear-emulator.json';

interface WeightsFile {
  format: string;
  /** the fifth input: 'a' (scale factor 1/(1+z)) or 'z' */
  zVariable?: 'a' | 'z';
  inputRanges: [number, number][];
  kMpc: string;
  degree: number;
  nBasis: number;
  nCb: number;
  nRatio: number;
  weights: string;
  pcaCbMean: string;
  pcaCbComponents: string;
  pcaRatioMean: string;
  pcaRatioComponents: string;
  rsDegree: number;
  rsWeights: string;
  /** the residual spline's miss between the training k (./off-node-correction.ts), optional */
  denseCorrection?: OffNodeCorrectionFile;
}

const f64 = base64ToFloat64;

/** The emulator's float64 model (see LinearEmulator.hostModel). */
export interface EmulatorHostModel {
  idx: number[][];
  rsIdx: number[][];
  W: Float64Array;
  cbMean: Float64Array;
  cbComps: Float64Array;
  rMean: Float64Array;
  rComps: Float64Array;
  rsW: Float64Array;
  degree: number;
  rsDegree: number;
  ranges: [number, number][];
  usesA: boolean;
  nCb: number;
  nRatio: number;
  kGridMpc: Float64Array;
  offNode?: OffNodeCorrection;
  /** [nOut, nGrid] spline map in ln k (null when kOut is the grid) */
  splineTo(kOut: Float64Array): Float64Array | null;
}

/** The emulator's constant tensors (kept across calls; dispose() frees them). */
export class LinearEmulator {
  /** the training k (1/Mpc) */
  readonly kGridMpc: Float64Array;
  /** the k at which the engine is fed (the training k and the off-node correction's band) */
  readonly engineKMpc: Float64Array;
  private readonly offNode?: OffNodeCorrection;
  readonly ranges: [number, number][];
  readonly degree: number;
  readonly nCb: number;
  readonly nRatio: number;
  /** the fifth input is the scale factor a = 1/(1+z) (else z itself) */
  readonly usesA: boolean;
  private readonly W: tf.Tensor2D;
  private readonly sel: tf.Tensor2D;
  private readonly cbMean: tf.Tensor2D;
  private readonly cbComps: tf.Tensor2D;
  private readonly rMean: tf.Tensor2D;
  private readonly rComps: tf.Tensor2D;
  private readonly rsDegree: number;
  private readonly rsW: tf.Tensor2D;
  private readonly rsSel: tf.Tensor2D;
  private splineCache: { key: string; op: tf.Tensor2D | null } | null = null;
  /** float64 copies for the host path */
  private readonly host: { idx: number[][]; rsIdx: number[][]; W: Float64Array; cbMean: Float64Array; cbComps: Float64Array; rMean: Float64Array; rComps: Float64Array; rsW: Float64Array };
  private hostSplineCache = new Map<string, Float64Array | null>();

  constructor(file: WeightsFile) {
    if (file.format !== 'clax-pt-ts linear emulator v1') throw new Error(`unknown emulator weights format '${file.format}'`);
    this.kGridMpc = f64(file.kMpc);
    this.offNode = file.denseCorrection ? new OffNodeCorrection(file.denseCorrection, f64) : undefined;
    this.engineKMpc = engineGrid(this.kGridMpc, this.offNode);
    this.usesA = file.zVariable === 'a';
    this.ranges = file.inputRanges;
    this.degree = file.degree;
    this.nCb = file.nCb;
    this.nRatio = file.nRatio;
    const nk = this.kGridMpc.length;
    const nt = this.nCb + this.nRatio + 2;
    const idx = multiIndices(5, this.degree);
    if (idx.length !== file.nBasis) throw new Error('emulator weights: basis size mismatch');
    this.W = tf.keep(tf.tensor2d(Float32Array.from(f64(file.weights)), [idx.length, nt]));
    this.sel = tf.keep(selectionMatrix(idx, 5, this.degree));
    this.cbMean = tf.keep(tf.tensor2d(Float32Array.from(f64(file.pcaCbMean)), [1, nk]));
    this.cbComps = tf.keep(tf.tensor2d(Float32Array.from(f64(file.pcaCbComponents)), [this.nCb, nk]));
    this.rMean = tf.keep(tf.tensor2d(Float32Array.from(f64(file.pcaRatioMean)), [1, nk]));
    this.rComps = tf.keep(tf.tensor2d(Float32Array.from(f64(file.pcaRatioComponents)), [this.nRatio, nk]));
    this.rsDegree = file.rsDegree;
    const rsIdx = multiIndices(4, this.rsDegree);
    this.rsW = tf.keep(tf.tensor2d(Float32Array.from(f64(file.rsWeights)), [rsIdx.length, 1]));
    this.host = {
      idx, rsIdx, W: f64(file.weights), cbMean: f64(file.pcaCbMean), cbComps: f64(file.pcaCbComponents),
      rMean: f64(file.pcaRatioMean), rComps: f64(file.pcaRatioComponents), rsW: f64(file.rsWeights),
    };
    this.rsSel = tf.keep(selectionMatrix(rsIdx, 4, this.rsDegree));
  }

  /** [nGrid, nOut] natural-spline map in ln k from the training grid to kOut (null: kOut is the grid). */
  private splineTo(kOut: Float64Array): tf.Tensor2D | null {
    const key = Array.from(kOut).join(',');
    if (this.splineCache?.key === key) return this.splineCache.op;
    this.splineCache?.op?.dispose();
    const grid = this.kGridMpc;
    const same = kOut.length === grid.length && kOut.every((v, i) => v === grid[i]);
    let op: tf.Tensor2D | null = null;
    if (!same) {
      const lnGrid = Array.from(grid, Math.log);
      const [lo, hi] = [lnGrid[0], lnGrid[lnGrid.length - 1]];
      // kOut is validated to lie in the grid's span; clamp the last-ulp rounding of exp/log
      const W = splineOperator(lnGrid, Array.from(kOut, (k) => Math.min(hi, Math.max(lo, Math.log(k))))); // [nOut, nGrid]
      const nOut = kOut.length;
      const nG = grid.length;
      const T = new Float32Array(nG * nOut);
      for (let o = 0; o < nOut; o++) for (let g = 0; g < nG; g++) T[g * nOut + o] = W[o * nG + g];
      op = tf.keep(tf.tensor2d(T, [nG, nOut]));
    }
    this.splineCache = { key, op };
    return op;
  }

  /**
   * The float64 model for host-side derivatives (./emulator-jacobian.ts).
   * @internal
   */
  hostModel(): EmulatorHostModel {
    return {
      ...this.host, degree: this.degree, rsDegree: this.rsDegree, ranges: this.ranges, usesA: this.usesA, nCb: this.nCb, nRatio: this.nRatio,
      kGridMpc: this.kGridMpc, offNode: this.offNode, splineTo: (kOut) => this.hostSplineTo(kOut),
    };
  }

  /** [nOut, nGrid] float64 natural-spline map in ln k (null: kOut is the grid). */
  private hostSplineTo(kOut: Float64Array): Float64Array | null {
    const key = Array.from(kOut).join(',');
    if (this.hostSplineCache.has(key)) return this.hostSplineCache.get(key)!;
    const grid = this.kGridMpc;
    const same = kOut.length === grid.length && kOut.every((v, i) => v === grid[i]);
    let op: Float64Array | null = null;
    if (!same) {
      const lnGrid = Array.from(grid, Math.log);
      const [lo, hi] = [lnGrid[0], lnGrid[lnGrid.length - 1]];
      op = splineOperator(lnGrid, Array.from(kOut, (k) => Math.min(hi, Math.max(lo, Math.log(k)))));
    }
    if (this.hostSplineCache.size >= 8) this.hostSplineCache.clear();
    this.hostSplineCache.set(key, op);
    return op;
  }

  /**
   * The same quantities as `evaluate` for one cosmology at one z, in float64 on the host
   * (no tensors: the fast path when no gradient is wanted; ~0.1 ms).
   */
  evaluateHost(p: Record<CosmoParamName, number>, z: number, kOut: Float64Array): HostRow {
    return emulateHost(this.hostModel(), p, z, kOut);
  }

  /**
   * One cosmology at several z, optionally with the Jacobian of the logs in the six parameters
   * and without the spectra at some z (./emulator-host.ts).
   */
  evaluateHostAt(p: Record<CosmoParamName, number>, zs: number[], kOut: Float64Array, opts: { jacobian?: boolean; spectra?: boolean[] } = {}): (HostRow & { jacobian?: HostRowJacobian })[] {
    return emulateHostAt(this.hostModel(), p, zs, kOut, opts);
  }

  dispose(): void {
    tf.dispose([this.W, this.sel, this.cbMean, this.cbComps, this.rMean, this.rComps, this.rsW, this.rsSel]);
    this.splineCache?.op?.dispose();
    this.splineCache = null;
    this.offNode?.dispose();
  }

  /**
   * The emulated quantities for B rows (cosmology b at redshift z[b]); call inside tf.tidy.
   * `p` holds [B, 1] tensors. Returns [B, nK] spectra (Mpc^3) and [B, 1] scalars.
   */
  evaluate(p: RowParams, z: tf.Tensor2D, kOut: Float64Array, want: { spectra?: boolean; matter?: boolean } = {}) {
    const B = z.shape[0];
    const norm = (x: tf.Tensor, j: number) => tf.sub(own.mul(tf.sub(x, this.ranges[j][0]), 2 / (this.ranges[j][1] - this.ranges[j][0])), 1);
    const X = tf.concat([norm(p.omegaB, 0), norm(p.omegaCdm, 1), norm(p.h, 2), norm(p.mNu, 3), norm(this.usesA ? tf.div(1, tf.add(z, 1)) : z, 4)], 1) as tf.Tensor2D;
    const L = legendreTensor(X, Math.max(this.degree, this.rsDegree)); // [B, 5, d+1]
    const out = own.matMul(basisFromLegendre(this.degree === L.shape[2] - 1 ? L : own.slice(L, [0, 0, 0], [B, 5, this.degree + 1]), this.sel), this.W); // [B, nt]
    const col = (start: number, size: number) => own.slice(out, [0, start], [B, size]);
    const bp = { omegaB: p.omegaB, omegaCdm: p.omegaCdm, h: p.h, mNu: p.mNu };
    const g = logGrowthBaselines(tensorOps, bp, z);
    const f = tf.exp(tf.add(g.logF, col(this.nCb + this.nRatio, 1)));
    const D = tf.exp(tf.add(g.logD, col(this.nCb + this.nRatio + 1, 1)));
    // r_s,drag: EH98's s times exp(polynomial in omega_b, omega_cdm, h, m_ncdm)

    const scales = ehScales(tensorOps, p.omegaB, tf.add(p.omegaB, p.omegaCdm));
    const sEh = scales.s;
    const rsDrag = own.mul(sEh, tf.exp(own.matMul(basisFromLegendre(own.slice(L, [0, 0, 0], [B, 4, this.rsDegree + 1]) as tf.Tensor3D, this.rsSel), this.rsW)));
    const result: EmulatorRows = { f, D, rsDrag };
    if (want.spectra !== false) {
      const op = this.splineTo(kOut);
      const toOut = (y: tf.Tensor2D) => (op ? own.matMul(y, op) : y);
      const rCb = toOut(tf.add(own.matMul(col(0, this.nCb) as tf.Tensor2D, this.cbComps), this.cbMean) as tf.Tensor2D);
      const k = tf.tensor2d(Float32Array.from(kOut), [1, kOut.length]);
      const logBase = tf.add(logBaselineNoPrimordial(tensorOps, k, bp, z, { om: g.om, D: g.D, eh: ehCoefficients(tensorOps, p.omegaB, tf.add(p.omegaB, p.omegaCdm), scales) }), logPrimordial(tensorOps, k, p.lnA, p.nS));
      const logCb = this.offNode ? tf.add(tf.add(logBase, rCb), this.offNode.tensor(L, kOut)) : tf.add(logBase, rCb);
      result.pkCb = tf.exp(logCb) as tf.Tensor2D;
      if (want.matter !== false) {
        const rM = toOut(tf.add(own.matMul(col(this.nCb, this.nRatio) as tf.Tensor2D, this.rComps), this.rMean) as tf.Tensor2D);
        result.pkM = tf.exp(tf.add(logCb, rM)) as tf.Tensor2D;
      }
    }
    return result;
  }
}

/** Parameters per row as [B, 1] tensors. */
export interface RowParams {
  omegaB: tf.Tensor;
  omegaCdm: tf.Tensor;
  h: tf.Tensor;
  lnA: tf.Tensor;
  nS: tf.Tensor;
  mNu: tf.Tensor;
}


export interface EmulatorRows {
  pkCb?: tf.Tensor2D;
  pkM?: tf.Tensor2D;
  f: tf.Tensor;
  D: tf.Tensor;
  rsDrag: tf.Tensor;
}

let shared: LinearEmulator | null = null;

/** The shipped emulator (its tensors built once, on first use). */
export function getEmulator(): LinearEmulator {
  if (!shared) shared = new LinearEmulator(shippedWeights as unknown as WeightsFile);
  return shared;
}

/** The parameters of B cosmologies as [B, 1] tensors (tensor inputs keep their gradients). */
export function rowParams(cosmologies: CosmoParams[]): RowParams {
  const col = (name: (typeof COSMO_PARAM_NAMES)[number]) =>
    cosmologies.every((c) => typeof c[name] === 'number')
      ? tf.tensor2d(Float32Array.from(cosmologies, (c) => c[name] as number), [cosmologies.length, 1])
      : tf.reshape(tf.stack(cosmologies.map((c) => (c[name] instanceof tf.Tensor ? tf.reshape(c[name] as tf.Tensor, []) : tf.scalar(c[name] as number)))), [cosmologies.length, 1]);
  return { omegaB: col('omega_b'), omegaCdm: col('omega_cdm'), h: col('h'), lnA: col('ln10^{10}A_s'), nS: col('n_s'), mNu: col('m_ncdm') };
}

/** H(z) in km/s/Mpc and D_A(z) in Mpc ([B, 1] tensors), CLASS's background (./background.ts). */
export function backgroundTensors(p: RowParams, zHost: number[], zTensor?: tf.Tensor) {
  const bp = { omegaB: p.omegaB, omegaCdm: p.omegaCdm, h: p.h, mNu: p.mNu };
  const B = zHost.length;
  // z as [B, 1]: the caller's tensor (to differentiate with respect to z) or the host values
  const z = zTensor ? tf.reshape(zTensor, [B, 1]) : tf.tensor2d(Float32Array.from(zHost), [B, 1]);
  const E = hubbleE(tensorOps, bp, z, ncdmEnergyFactorTensor);
  const H = own.mul(E, own.mul(p.h, 100));
  // chi = (c/H0) int_0^z dz'/E(z'): Gauss-Legendre in z' on [0, z] (1/E is smooth); nodes
  // z (x_i + 1)/2 and weights z w_i / 2 are products with z, so d/dz flows through them
  const n = DISTANCE_RULE.x.length;
  const unitNodes = tf.tensor2d(Float32Array.from(DISTANCE_RULE.x, (x) => (x + 1) / 2), [1, n]);
  const unitWeights = tf.tensor2d(Float32Array.from(DISTANCE_RULE.w, (w) => w / 2), [1, n]);
  const En = hubbleE(tensorOps, bp, own.mul(z, unitNodes), ncdmEnergyFactorTensor);
  const chiH0OverC = tf.sum(tf.div(own.mul(z, unitWeights), En), 1, true);
  const chi = tf.div(own.mul(chiH0OverC, C_KM_S / 100), p.h);
  const DA = tf.div(chi, tf.add(z, 1));
  const omegaG = densities(tensorOps, bp, ncdmEnergyFactorTensor).omegaG;
  return { E, H, chiH0OverC, DA, omegaG, z };
}

/** sigma8 from P_m on the emulator grid: int dlnk k^3 P/(2 pi^2) W(kR)^2, R = 8/h Mpc (Simpson in ln k on a fine spline of ln P). */
export function sigma8Tensor(em: LinearEmulator, p: RowParams, z: tf.Tensor2D): tf.Tensor {
  const n = SIGMA8_NK;
  const [lo, hi] = [Math.log(em.kGridMpc[0]), Math.log(em.kGridMpc[em.kGridMpc.length - 1])];
  const lnk = Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  const k = Float64Array.from(lnk, Math.exp);
  const pm = em.evaluate(p, z, k).pkM as tf.Tensor2D; // [B, n]
  const dl = (hi - lo) / (n - 1);
  const simpson = Float32Array.from({ length: n }, (_, i) => ((i === 0 || i === n - 1 ? 1 : i % 2 === 1 ? 4 : 2) * dl) / 3);
  const kT = tf.tensor2d(Float32Array.from(k), [1, n]);
  const x = own.mul(kT, tf.div(8, p.h)); // k R, [B, n]
  // top hat W(x) = 3 (sin x - x cos x)/x^3
  const W = tf.div(own.mul(3, tf.sub(tf.sin(x), own.mul(x, tf.cos(x)))), own.mul(own.mul(x, x), x));
  const integrand = own.mul(own.mul(pm, tf.div(own.mul(own.mul(kT, kT), kT), 2 * Math.PI * Math.PI)), own.mul(W, W));
  return tf.sqrt(tf.sum(own.mul(integrand, tf.tensor2d(simpson, [1, n])), 1, true));
}

export interface LinearRequest {
  params: Record<string, unknown>;
  z: number[];
  kMpc: ArrayLike<number>;
}

/** The JSON answer of `clax-pt linear`: the training records' names and units. */
export interface LinearAnswer {
  k_Mpc: number[];
  z: number[];
  pk_m_Mpc3: number[][];
  pk_cb_Mpc3: number[][];
  f: number[];
  H_kms_Mpc: number[];
  D_A_Mpc: number[];
  D: number[];
  sigma8: number[];
  rs_drag_Mpc: number;
}

/** One cosmology at several z: every quantity of the training records, as plain numbers. */
export function linearQuantities(req: LinearRequest): LinearAnswer {
  const params = validateCosmoParams(req.params, 'params');
  const zs = validateRedshifts(req.z, 'z');
  const k = validateKMpc(req.kMpc, 'k_Mpc');
  const em = getEmulator();
  // float64 host path throughout: emulator, CLASS background, sigma8
  const bg = hostBackground({ omegaB: params.omega_b, omegaCdm: params.omega_cdm, h: params.h, mNu: params.m_ncdm });
  const rows = zs.map((z) => em.evaluateHost(params, z, k));
  return {
    k_Mpc: Array.from(k),
    z: zs,
    pk_m_Mpc3: rows.map((r) => Array.from(r.pkM)),
    pk_cb_Mpc3: rows.map((r) => Array.from(r.pkCb)),
    f: rows.map((r) => r.f),
    H_kms_Mpc: zs.map((z) => bg.H(z)),
    D_A_Mpc: zs.map((z) => bg.DA(z)),
    D: rows.map((r) => r.D),
    sigma8: zs.map((z) => sigma8Host(em, params, z)),
    rs_drag_Mpc: rows[0].rsDrag,
  };
}

/** log-spaced k over the emulator's range for the sigma8 quadrature (Simpson in ln k) */
const SIGMA8_NK = 801;

/** sigma8(z) from the emulated P_m, float64 (the same quadrature as sigma8Tensor). */
export function sigma8Host(em: LinearEmulator, p: Record<CosmoParamName, number>, z: number): number {
  const n = SIGMA8_NK;
  const [lo, hi] = [Math.log(em.kGridMpc[0]), Math.log(em.kGridMpc[em.kGridMpc.length - 1])];
  const dl = (hi - lo) / (n - 1);
  const k = Float64Array.from({ length: n }, (_, i) => Math.exp(lo + dl * i));
  const pm = em.evaluateHost(p, z, k).pkM;
  const R = 8 / p.h;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = k[i] * R;
    const W = (3 * (Math.sin(x) - x * Math.cos(x))) / (x * x * x);
    const w = ((i === 0 || i === n - 1 ? 1 : i % 2 === 1 ? 4 : 2) * dl) / 3;
    s += (w * pm[i] * k[i] * k[i] * k[i] * W * W) / (2 * Math.PI * Math.PI);
  }
  return Math.sqrt(s);
}

