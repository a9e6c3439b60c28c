/**
 * The host-side float64 linear stage, per cosmology (CLASS-PT `nonlinear_pt_loop` up to the
 * FFTLog decomposition): validation, P_lin onto the FFTLog grid, sigma_v^2, and the IR split
 * (`nonlinear_pt_ir_resummation`) or its IR-off replacement.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import { ClaxPtInputError } from '../errors';
import { fftlogGrid } from '../fftlog/grid';
import type { LinearTensors } from './linear-stage-op';
import { irResummationOff, type IrSpectra } from '../ir/resummation';
import { runHostJobs } from '../host/host-pool';
import type { HostJob } from '../host/host-jobs';
import { concatMomentSets, withGetter, type HostMomentSets, type MomentData } from '../redshift/ap-moments-host';
import { sigmaV2, validateLinearPower, type LinearPowerInput } from './linear-power';

/** One cosmology as the loops need it. k in 1/Mpc, P in Mpc^3. */
export interface CosmologyInput {
  /** wavenumbers of the linear spectrum, 1/Mpc, strictly increasing */
  kMpc: ArrayLike<number>;
  /** linear power spectrum at z, Mpc^3 (a tensor to differentiate with respect to it) */
  pkMpc3: ArrayLike<number> | tf.Tensor;
  /**
   * reduced Hubble constant (sets the FFTLog range 5e-5 h .. 100 h, the UV cutoff 3 h and the
   * Sigma^2 range 0.2 h); a scalar tensor to differentiate through those h-dependent grids
   */
  h: number | tf.Tensor;
  /** primordial tilt n_s: slope of the low-k power-law extrapolation */
  n_s?: number;
  /** @deprecated the old name of n_s (accepted for one release) */
  nS?: number;
  /** sound horizon at baryon drag in Mpc (the BAO scale of Sigma^2); needed with IR resummation */
  rsDragMpc?: number | tf.Tensor;
  /** growth rate f at z (redshift space) */
  f?: number | tf.Tensor;
  /** AP ratios H_true/H_fid and D_A,true/D_A,fid at z (CLASS-PT `hratio`, `Dratio`) */
  hratio?: number | tf.Tensor;
  Dratio?: number | tf.Tensor;
  /** primordial amplitude A_s (CLASS pivot 0.05 1/Mpc); needed for the fNL rows only */
  A_s?: number | tf.Tensor;
  /** @deprecated the old name of A_s (accepted for one release) */
  As?: number | tf.Tensor;
}

/** n_s of an input (its deprecated name nS accepted). */
export function tiltOf(c: CosmologyInput): number | undefined {
  return c.n_s ?? c.nS;
}

/** A_s of an input (its deprecated name As accepted). */
export function amplitudeOf(c: CosmologyInput): number | tf.Tensor | undefined {
  return c.A_s ?? c.As;
}

/** A number, or the value of a one-element tensor (scalars may be passed as tensors for gradients). */
export function hostValue(x: number | tf.Tensor | undefined): number | undefined {
  if (x === undefined || typeof x === 'number') return x;
  if (x.size !== 1) throw new RangeError(`expected a scalar tensor, got shape [${x.shape.join(', ')}]`);
  return readSync(x, 'scalar input')[0];
}

export interface LinearStageOptions {
  /** IR resummation (CLASS-PT "IR resummation", default on) */
  irResummation?: boolean;
  /** CLASS-PT "no-wiggle": drop the wiggle part (P_w = 0) */
  noWiggle?: boolean;
  /** CLASS-PT `alpha_rs`: the wiggle part taken at alpha_rs k (default 1) */
  alphaRs?: number;
}

export interface LinearStage {
  h: number[];
  /** the validated inputs (float64) */
  inputs: LinearPowerInput[];
  /** r_s,drag per cosmology (NaN with IR resummation off) */
  rsDragMpc: number[];
  gridKMpc: Float64Array[];
  pDisc: Float64Array[];
  pNoWiggle: Float64Array[];
  pWiggle: Float64Array[];
  /** P_w before `noWiggle` zeroes it (the fNL transfer split uses it) */
  pWiggleRaw: Float64Array[];
  pBin: Float64Array[];
  pTree: Float64Array[];
  sigmaV2: number[];
  sigma2Bao: number[];
  deltaSigma2Bao: number[];
  /** P_nw on the DST grid per cosmology (with IR resummation; for the reverse pass) */
  noWiggleDst?: { pNw: Float64Array; pNwDD: Float64Array }[];
  /** the float64 AP moment sums of the bias projection, when requested (../redshift/ap-moments-host.ts) */
  apMoments?: HostMomentSets;
  /** the same spectra and scalars as differentiable tensors (set by computeComponents) */
  tensors?: LinearTensors;
}

/** The AP moment sums to compute with the linear stage (they need h, hratio and Dratio only). */
export interface MomentRequest {
  hratio: number[];
  dratio: number[];
  nSide: number;
}

/** The tensor form of a linear stage (throws if it was not attached). */
export function linearTensorsOf(stage: LinearStage): LinearTensors {
  if (!stage.tensors) throw new Error('internal: the linear stage has no tensors attached');
  return stage.tensors;
}

/** A finite (and, with `positive`, > 0) number, or a ClaxPtInputError naming it. */
export function checkScalar(name: string, value: unknown, positive: boolean): number {
  if (value === undefined || value === null) throw new ClaxPtInputError(name, 'missing');
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    throw new ClaxPtInputError(name, `must be a ${positive ? 'positive ' : ''}finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * The host float64 stage of a batch: validation, FFTLog grids, sigma_v^2 and CLASS-PT's IR split
 * per cosmology, and (with `moments`) the AP moment sums; the per-cosmology jobs run on two
 * threads when a worker is available (../host/host-pool.ts).
 */
export function runLinearStage(
  n: number,
  cosmologies: CosmologyInput[],
  options: LinearStageOptions = {},
  moments?: MomentRequest,
): LinearStage {
  const ir = options.irResummation ?? true;
  const alphaRs = checkScalar('alphaRs', options.alphaRs ?? 1, true);
  const stage: LinearStage = {
    h: [], inputs: [], rsDragMpc: [], gridKMpc: [], pDisc: [], pNoWiggle: [], pWiggle: [], pWiggleRaw: [], pBin: [], pTree: [],
    sigmaV2: [], sigma2Bao: [], deltaSigma2Bao: [],
  };
  const jobs: HostJob[] = [];
  cosmologies.forEach((cosmo, b) => {
    const where = cosmologies.length > 1 ? `cosmologies[${b}].` : '';
    const h = checkScalar(`${where}h`, hostValue(cosmo.h), true);
    const nS = checkScalar(`${where}n_s`, tiltOf(cosmo), false);
    const input: LinearPowerInput = {
      kMpc: Float64Array.from(cosmo.kMpc ?? []),
      pkMpc3: cosmo.pkMpc3 instanceof tf.Tensor ? Float64Array.from(readSync(cosmo.pkMpc3, 'pkMpc3')) : Float64Array.from(cosmo.pkMpc3 ?? []),
      nS,
    };
    validateLinearPower(input, where);
    const grid = fftlogGrid(n, h);
    stage.h.push(h);
    stage.inputs.push(input);
    stage.gridKMpc.push(grid.kMpc);
    stage.sigmaV2.push(sigmaV2(input));
    stage.rsDragMpc.push(ir ? checkScalar(`${where}rsDragMpc`, hostValue(cosmo.rsDragMpc), true) : NaN);
    if (ir) jobs.push({ ir: { input, kGridMpc: grid.kMpc, h, rsDragMpc: stage.rsDragMpc[b], alphaRs, noWiggle: options.noWiggle ?? false } });
  });
  const irJobs = jobs.length;
  if (moments) {
    stage.gridKMpc.forEach((gridKMpc, b) =>
      jobs.push({ moments: { inputs: { gridKMpc: [gridKMpc], hratio: [moments.hratio[b]], dratio: [moments.dratio[b]] }, nSide: moments.nSide } }),
    );
  }
  const results = runHostJobs(jobs);
  // CLASS-PT, IR off: P_bin = P_tree = P_nw = P_disc, P_w = 0
  const spectra = ir ? (results.slice(0, irJobs) as IrSpectra[]) : stage.inputs.map((input, b) => irResummationOff(input, stage.gridKMpc[b]));
  if (moments) stage.apMoments = concatMomentSets((results.slice(irJobs) as MomentData[]).map(withGetter));
  for (const res of spectra) {
    stage.pDisc.push(res.pDisc);
    stage.pNoWiggle.push(res.pNoWiggle);
    stage.pWiggle.push(res.pWiggle);
    stage.pWiggleRaw.push(res.pWiggleRaw);
    stage.pBin.push(res.pBin);
    stage.pTree.push(res.pTree);
    stage.sigma2Bao.push(res.sigma2Bao);
    stage.deltaSigma2Bao.push(res.deltaSigma2Bao);
    if (res.noWiggleDst) (stage.noWiggleDst ??= []).push(res.noWiggleDst);
  }
  return stage;
}
