/**
 * A stage-by-stage copy of `computeComponents` (src/compute.ts, with `projectBiasMultipoles`
 * of src/redshift/bias-multipoles.ts opened up), for two uses:
 *
 * - the per-stage profile: every stage runs through a recorder that times it (tensor stages
 *   inside tf.tidy, followed by a read-back barrier on their outputs);
 * - the gradient benchmark: with the pass-through recorder it is a plain tensor function of f,
 *   hratio and Dratio (computeComponents takes them as numbers), so tf.valueAndGrads can
 *   differentiate S through every tensor stage.
 *
 * `checkAgainstCompute` (run by the benchmark) verifies that it reproduces computeComponents.
 * The src/ functions are called as they are; only the orchestration is copied.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../src/plan';
import type { CosmologyInput, LinearStage, LinearStageOptions } from '../src/input/linear-stage';
import { runLinearStage } from '../src/input/linear-stage';
import { apSideNodes } from '../src/compute';
import { batchTensor, matterRealSpace } from '../src/loops/matter-real';
import { biasOperatorsOnGrid } from '../src/loops/bias-real';
import { outputSplineOperators } from '../src/numerics/output-spline';
import { apGeometry, interpolateAtTrueK, projectMultipole, type ApGeometry } from '../src/redshift/ap-projection';
import { muPowerLoops, projectMatterMultipoles } from '../src/redshift/matter-multipoles';
import { NEGATED_ROWS } from '../src/redshift/bias-multipoles';
import { apMoments, projectWithMoments, type AngularFactor, type MomentInputs } from '../src/redshift/ap-moments';
import { PURE_AP_ROWS, pureApRowsFloat64 } from '../src/redshift/pure-ap-float64';
import { basisShape } from '../src/fftlog/decomposition';
import { BIAS_FFTLOG_BIAS } from '../src/kernels/bias';

/** Runs one stage. kind 'host' = float64 host work; 'tensor' = builds tensors. */
export type Recorder = <T>(name: string, kind: 'host' | 'tensor', fn: () => T) => T;

/** No timing, no tidy: the stages as plain function calls (for gradients). */
export const passThrough: Recorder = (_name, _kind, fn) => fn();

export interface StageRecord {
  ms: number;
  /** part of ms spent in the read-back barrier */
  barrierMs: number;
  calls: number;
}

/**
 * A timing recorder: tensor stages run inside tf.tidy and end with a read-back of every output
 * tensor (dataSync; on the synchronous wasm and cpu backends this equals `await t.data()`).
 * Tensors that survive a stage are collected in `owned` (dispose them after the forward).
 */
export class StageTimer {
  readonly records = new Map<string, StageRecord>();
  readonly owned: tf.Tensor[] = [];
  readonly order: string[] = [];

  readonly rec: Recorder = <T>(name: string, kind: 'host' | 'tensor', fn: () => T): T => {
    const t0 = performance.now();
    let out: T;
    let barrier = 0;
    if (kind === 'tensor') {
      out = tf.tidy(fn as () => tf.TensorContainer) as T;
      const tb = performance.now();
      const tensors = collectTensors(out);
      for (const t of tensors) t.dataSync();
      barrier = performance.now() - tb;
      this.owned.push(...tensors);
    } else {
      out = fn();
    }
    const ms = performance.now() - t0;
    const r = this.records.get(name);
    if (r) {
      r.ms += ms;
      r.barrierMs += barrier;
      r.calls++;
    } else {
      this.records.set(name, { ms, barrierMs: barrier, calls: 1 });
      this.order.push(name);
    }
    return out;
  };

  disposeOwned(keep: Set<tf.Tensor> = new Set()): void {
    const seen = new Set<tf.Tensor>();
    for (const t of this.owned) {
      if (keep.has(t) || seen.has(t)) continue;
      seen.add(t);
      if (!t.isDisposed) t.dispose();
    }
    this.owned.length = 0;
  }
}

export function collectTensors(value: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (value instanceof tf.Tensor) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectTensors(v, out));
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) Object.values(value).forEach((v) => collectTensors(v, out));
  return out;
}

export interface ForwardSettings extends LinearStageOptions {
  redshiftSpace: boolean;
  alcockPaczynski: boolean;
  biasedTracers: boolean;
}

/** Differentiable inputs of the tensor stages: f, hratio, Dratio as [B] tensors. */
export interface TensorScalars {
  f: tf.Tensor1D;
  hratio: tf.Tensor1D;
  dratio: tf.Tensor1D;
  /** the same values on the host (bracket selection, moment sums) */
  hr: number[];
  dr: number[];
  fs: number[];
}

export function scalarsOf(cosmologies: CosmologyInput[], settings: ForwardSettings): TensorScalars {
  const rsd = settings.redshiftSpace;
  const ap = rsd && settings.alcockPaczynski;
  const fs = cosmologies.map((c) => (rsd ? (c.f as number) : 0));
  const hr = cosmologies.map((c) => (ap ? (c.hratio as number) : 1));
  const dr = cosmologies.map((c) => (ap ? (c.Dratio as number) : 1));
  return { f: tf.tensor1d(fs), hratio: tf.tensor1d(hr), dratio: tf.tensor1d(dr), hr, dr, fs };
}

/**
 * The loops read the linear-stage spectra as tensors: at the last commit they upload them
 * themselves (batchTensor), in the newer src they read `linear.tensors` (attached by
 * computeComponents through a custom-gradient op). Attach plain uploads here so that this copy
 * runs against either version (values are identical; gradients to P_lin / r_s are not needed
 * here: the gradient benchmark uses computeComponents itself whenever it accepts tensors).
 */
function attachLinearTensors(rec: Recorder, linear: LinearStage): void {
  const holder = linear as unknown as { tensors?: Record<string, tf.Tensor> };
  if (holder.tensors) return;
  holder.tensors = rec('host+upload: linear-stage spectra as tensors', 'tensor', () => ({
    pNoWiggle: batchTensor(linear.pNoWiggle),
    pWiggle: batchTensor(linear.pWiggle),
    pBin: batchTensor(linear.pBin),
    pTree: batchTensor(linear.pTree),
    sigmaV2: tf.tensor1d(linear.sigmaV2),
    sigma2Bao: tf.tensor1d(linear.sigma2Bao),
    deltaSigma2Bao: tf.tensor1d(linear.deltaSigma2Bao),
  }));
}

/** The linear channels of the bias AP projection (copied from src/redshift/bias-multipoles.ts). */
const LINEAR_CHANNELS: Record<AngularFactor, string[]> = {
  0: ['Id2d2', 'Id2G2', 'IG2G2', 'P_0_b1b2', 'P_0_b1bG2', 'P_0_b2', 'P_0_bG2'],
  2: ['P_2_b1b2', 'P_2_b1bG2', 'P_2_b2', 'P_2_bG2'],
  4: ['P_4_b2', 'P_4_bG2'],
};

/** `projectBiasMultipoles` with its sub-stages exposed to the recorder. */
function projectBiasStaged(
  rec: Recorder,
  geo: ApGeometry,
  host: MomentInputs,
  arrays: Record<string, tf.Tensor2D>,
  d2: (y: tf.Tensor3D) => tf.Tensor3D,
  f: tf.Tensor1D,
  sigma2: tf.Tensor1D,
  deltaSigma2: tf.Tensor1D,
): Record<string, tf.Tensor2D> {
  const B = geo.batch;
  const n = geo.n;
  const linear: Record<string, tf.Tensor2D> = {};
  for (const phi of [0, 2, 4] as AngularFactor[]) {
    const names = LINEAR_CHANNELS[phi];
    const [y, y2] = rec('tensor: bias AP, channel stack + spline y\'\' (matMul with D)', 'tensor', () => {
      const y = tf.stack(names.map((k) => arrays[k]), 1) as tf.Tensor3D;
      return [y, d2(y)] as [tf.Tensor3D, tf.Tensor3D];
    });
    for (const l of [0, 2, 4] as const) {
      const set = rec('bias AP: moment sets (host float64 sums + tensor twin + dataSync)', 'tensor', () => apMoments(geo, host, l, phi));
      const projected = rec('tensor: bias AP, moment-form projection', 'tensor', () => projectWithMoments(geo, host.gridKMpc, y, y2, set));
      Object.assign(
        linear,
        rec('tensor: bias AP, split channels', 'tensor', () => {
          const out: Record<string, tf.Tensor2D> = {};
          names.forEach((name, c) => {
            out[`${name}@${l}`] = tf.reshape(tf.slice(projected, [0, c, 0], [B, 1, n]), [B, n]);
          });
          return out;
        }),
      );
    }
  }
  const ifg2 = rec('tensor: bias AP, IFG2 pointwise (40-node interpolation)', 'tensor', () => {
    const stacked = tf.stack(['Pnw', 'Pw', 'Pbin', 'IFG2'].map((k) => arrays[k]), 1) as tf.Tensor3D;
    const atKt = interpolateAtTrueK(geo, stacked, d2(stacked));
    const [, , J, G] = atKt.shape;
    const at = (c: number) => tf.reshape(tf.slice(atKt, [0, c, 0, 0], [B, 1, J, G]), [B, J, G]);
    const f3 = tf.reshape(f, [B, 1, 1]);
    const mu2 = geo.mu2t;
    const kt2 = tf.square(geo.kt);
    const sigmaTot = tf.add(
      tf.mul(tf.reshape(sigma2, [B, 1, 1]), tf.add(1, tf.mul(tf.mul(f3, mu2), tf.add(2, f3)))),
      tf.mul(tf.mul(tf.square(f3), tf.mul(mu2, tf.sub(mu2, 1))), tf.reshape(deltaSigma2, [B, 1, 1])),
    );
    const damp = tf.exp(tf.neg(tf.mul(sigmaTot, kt2)));
    const pLo = tf.div(tf.add(at(0), tf.mul(at(1), damp)), at(2));
    const v = tf.mul(pLo, at(3));
    const vf = tf.mul(tf.mul(v, f3), mu2);
    return {
      IFG2_0b1: projectMultipole(geo, v, 0),
      IFG2_0: projectMultipole(geo, vf, 0),
      IFG2_2: projectMultipole(geo, vf, 2),
    };
  });
  return rec('tensor: bias AP, combine rows', 'tensor', () => {
    const L = (name: string, l: 0 | 2 | 4) => linear[`${name}@${l}`];
    const sum3 = (a: string, b: string, c: string | null, l: 0 | 2 | 4) =>
      (c ? tf.addN([L(a, l), L(b, l), L(c, l)]) : tf.add(L(a, l), L(b, l))) as tf.Tensor2D;
    return {
      ...ifg2,
      Id2d2: tf.clone(L('Id2d2', 0)),
      Id2d2_2: tf.clone(L('Id2d2', 2)),
      Id2d2_4: tf.clone(L('Id2d2', 4)),
      Id2G2: tf.clone(L('Id2G2', 0)),
      Id2G2_2: tf.clone(L('Id2G2', 2)),
      Id2G2_4: tf.clone(L('Id2G2', 4)),
      IG2G2: tf.clone(L('IG2G2', 0)),
      IG2G2_2: tf.clone(L('IG2G2', 2)),
      IG2G2_4: tf.clone(L('IG2G2', 4)),
      '0_b1b2': sum3('P_0_b1b2', 'P_2_b1b2', null, 0),
      '2_b1b2': sum3('P_0_b1b2', 'P_2_b1b2', null, 2),
      '4_b1b2': sum3('P_0_b1b2', 'P_2_b1b2', null, 4),
      '0_b1bG2': sum3('P_0_b1bG2', 'P_2_b1bG2', null, 0),
      '2_b1bG2': sum3('P_0_b1bG2', 'P_2_b1bG2', null, 2),
      '4_b1bG2': sum3('P_0_b1bG2', 'P_2_b1bG2', null, 4),
      '0_b2': sum3('P_0_b2', 'P_2_b2', 'P_4_b2', 0),
      '2_b2': sum3('P_0_b2', 'P_2_b2', 'P_4_b2', 2),
      '4_b2': sum3('P_0_b2', 'P_2_b2', 'P_4_b2', 4),
      '0_bG2': sum3('P_0_bG2', 'P_2_bG2', 'P_4_bG2', 0),
      '2_bG2': sum3('P_0_bG2', 'P_2_bG2', 'P_4_bG2', 2),
      '4_bG2': sum3('P_0_bG2', 'P_2_bG2', 'P_4_bG2', 4),
    } as Record<string, tf.Tensor2D>;
  });
}

/**
 * The tensor part of computeComponents (IR on, RSD on, AP on or off, bias on), from a linear
 * stage already computed. Returns the components at the output k, [B, nOut] each, without the
 * float64 pure-AP value corrections (see `pureApCorrections`).
 */
export function tensorComponents(
  rec: Recorder,
  plan: Plan,
  linear: LinearStage,
  kOutMpc: Float64Array[],
  s: TensorScalars,
  settings: ForwardSettings,
): Record<string, tf.Tensor2D> {
  if (!settings.redshiftSpace || !settings.biasedTracers || settings.irResummation === false) {
    throw new Error('benchmark pipeline: only the RSD + IR + bias configuration is copied');
  }
  const B = kOutMpc.length;
  const ap = settings.alcockPaczynski;
  attachLinearTensors(rec, linear);
  rec('plan: lazy kernel sets (cached after the first call)', 'host', () => {
    plan.rsdIrOn();
    plan.bias();
  });
  const spline = rec('host+upload: output spline operator [B,N,nOut]', 'tensor', () => outputSplineOperators(linear.gridKMpc, kOutMpc));
  const onGrid: Record<string, tf.Tensor2D> = rec('tensor: real-space matter loops', 'tensor', () => matterRealSpace(plan, linear));
  const biasGrid = rec('tensor: bias operators on the grid (real + RSD kernels)', 'tensor', () => biasOperatorsOnGrid(plan, linear, s.f));
  for (const name of ['Id2', 'IG2', 'IFG2', 'Id2d2', 'Id2G2', 'IG2G2']) onGrid[name] = biasGrid[name];
  const geo = rec('AP geometry (host brackets + tensor weights)', 'tensor', () =>
    apGeometry({ gridKMpc: linear.gridKMpc, hratio: s.hratio, dratio: s.dratio, nSide: apSideNodes(ap) }),
  );
  const invH2 = tf.tensor3d(Float32Array.from(linear.h, (h) => 1 / (h * h)), [linear.h.length, 1, 1]);
  // as src/compute.ts: the plan's operator on k/h, divided by h^2
  const d2 = (y: tf.Tensor3D) => {
    const [b, c, n] = y.shape;
    return tf.mul(tf.reshape(tf.matMul(tf.reshape(y, [b * c, n]), plan.splineSecondDerivativeT), [b, c, n]), invH2) as tf.Tensor3D;
  };
  const [sigma2, deltaSigma2] = rec('host+upload: Sigma^2 scalars', 'tensor', () => [
    tf.tensor1d(linear.sigma2Bao),
    tf.tensor1d(linear.deltaSigma2Bao),
  ]);
  const loops = rec('tensor: mu-power loops (nw quadratic + nw x w bilinear)', 'tensor', () => muPowerLoops(plan, linear, s.f));
  const matter = rec('tensor: AP projection of matter (40 nodes)', 'tensor', () =>
    projectMatterMultipoles(geo, loops, d2, s.f, sigma2, deltaSigma2),
  );
  Object.assign(onGrid, matter);
  const arrays = rec('host+upload: Pnw, Pw, Pbin', 'tensor', () => ({
    Pnw: batchTensor(linear.pNoWiggle),
    Pw: batchTensor(linear.pWiggle),
    Pbin: batchTensor(linear.pBin),
  })) as Record<string, tf.Tensor2D>;
  for (const [name, v] of Object.entries(biasGrid)) if (!['Id2', 'IG2'].includes(name)) arrays[name] = v;
  const host: MomentInputs = { gridKMpc: linear.gridKMpc, hratio: s.hr, dratio: s.dr };
  Object.assign(onGrid, projectBiasStaged(rec, geo, host, arrays, d2, s.f, sigma2, deltaSigma2));

  return rec('tensor: signs + stack + output spline matMul + slices', 'tensor', () => {
    const rows: Record<string, tf.Tensor2D> = {};
    for (const name of Object.keys(onGrid)) rows[name] = NEGATED_ROWS.has(name) ? (tf.neg(onGrid[name]) as tf.Tensor2D) : onGrid[name];
    const names = Object.keys(rows);
    const stacked = tf.stack(names.map((nm) => rows[nm]), 1) as tf.Tensor3D;
    const atOut = tf.matMul(stacked, spline);
    const out: Record<string, tf.Tensor2D> = {};
    names.forEach((name, c) => {
      out[name] = tf.squeeze(tf.slice(atOut, [0, c, 0], [B, 1, -1]), [1]) as tf.Tensor2D;
    });
    if (out.loop_4_dd) {
      const cut = tf.tensor2d(Float32Array.from(kOutMpc.flatMap((k) => Array.from(k, (v) => Math.exp(-Math.pow(v / 3, 4))))), [B, kOutMpc[0].length]);
      out.loop_4_dd = tf.mul(out.loop_4_dd, cut) as tf.Tensor2D;
    }
    return out;
  });
}

/** The float64 pure-AP rows and their value corrections, as in computeComponents. */
export function pureApCorrections(
  rec: Recorder,
  plan: Plan,
  linear: LinearStage,
  kOutMpc: Float64Array[],
  s: TensorScalars,
  ap: boolean,
  components: Record<string, tf.Tensor2D>,
): void {
  const shape = basisShape(plan.n, BIAS_FFTLOG_BIAS);
  const kernels = rec('plan: biasHost() (cached after the first call)', 'host', () => plan.biasHost());
  const host = { gridKMpc: linear.gridKMpc, hratio: s.hr, dratio: s.dr };
  const exact = rec('host: pure-AP rows in float64', 'host', () =>
    linear.gridKMpc.map((k, b) =>
      pureApRowsFloat64(shape, kernels, k, linear.pBin[b], s.fs[b], { ...host, b }, apSideNodes(ap), kOutMpc[b]),
    ),
  );
  rec('sync: pure-AP corrections (8 dataSync + add)', 'host', () => {
    for (const name of PURE_AP_ROWS) {
      const t = components[name];
      const v = t.dataSync();
      const nOut = kOutMpc[0].length;
      const corr = new Float32Array(v.length);
      exact.forEach((rows, b) => {
        for (let i = 0; i < nOut; i++) corr[b * nOut + i] = rows[name][i] - v[b * nOut + i];
      });
      components[name] = tf.tidy(() => tf.add(t, tf.tensor2d(corr, t.shape)) as tf.Tensor2D);
      t.dispose();
    }
  });
}

/** The whole forward, staged: linear stage, tensor stages, pure-AP rows. */
export function stagedForward(
  rec: Recorder,
  plan: Plan,
  cosmologies: CosmologyInput[],
  kOut: ArrayLike<number>,
  settings: ForwardSettings,
): { components: Record<string, tf.Tensor2D>; scalars: TensorScalars; linear: LinearStage } {
  const kOutMpc = cosmologies.map(() => Float64Array.from(kOut));
  const linear = rec('host: linear stage (input spline, sigma_v^2, IR split)', 'host', () =>
    runLinearStage(plan.n, cosmologies, settings),
  );
  const scalars = rec('host+upload: f, hratio, Dratio', 'tensor', () => scalarsOf(cosmologies, settings));
  const components = tensorComponents(rec, plan, linear, kOutMpc, scalars, settings);
  pureApCorrections(rec, plan, linear, kOutMpc, scalars, settings.alcockPaczynski, components);
  return { components, scalars, linear };
}
