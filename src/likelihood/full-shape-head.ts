/**
 * The likelihood's head: from the component rows on the theory grid (one set per redshift) and
 * each sample's b1, b2, bG2 (with f and h) to each sample's marginalised -2 ln L, as one tfjs op
 * whose forward and vector-Jacobian product run in float64 on the host:
 *
 *   rows (grid) --bin average--> binned rows --coefficients (../assembly/full-shape.ts, dual
 *   numbers in b1, b2, bG2, f, h)--> mean model and templates --./marginalise.ts--> value
 *
 * Every step is linear in the rows, so the VJP is exact: the rows' cotangents are the binning
 * transposed applied to (coefficients x residual cotangents), and the parameters' come from the
 * coefficients' dual parts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CONSTANT_ROW, FULL_SHAPE_LINEAR_PARAMS, K045_ROW, K2_CTR4_HMPC, fullShapeTemplates, type FullShapeLinearParam, type FullShapeOptions } from '../assembly/full-shape';
import { dualOps, type Dual } from '../numerics/dual';
import type { Val } from '../cosmology/ops';
import type { SampleData } from './data';
import { marginalise, marginaliseVjp, type Marginalised, type MarginalisedInput } from './marginalise';

/** A marginalised parameter's Gaussian prior: mean (a number, or b1's co-evolution value) and sd. */
export interface MarginalisedPrior {
  /** a number, or 'coevolution': bGamma3 = 23 (b1 - 1)/42 (local Lagrangian bias) */
  mean: number | 'coevolution';
  /** a number, or '1/nbar': the sample's 1/nbar */
  sigma: number | '1/nbar';
}

export interface HeadSample {
  data: SampleData;
  /** index of the sample's redshift in the rows */
  zIndex: number;
  /** bin operator [nBins x nGrid] (./binning.ts) */
  bins: Float64Array;
}

export interface HeadProblem {
  samples: HeadSample[];
  /** theory grid, h/Mpc */
  grid: Float64Array;
  /** component row names, in the order of the rows tensor's second axis */
  rows: string[];
  priors: Record<FullShapeLinearParam, MarginalisedPrior>;
  model: FullShapeOptions;
}

/** What one evaluation found, per sample (host numbers, for reports and plots). */
export interface SampleEvaluation {
  chi2: number;
  logDetTerm: number;
  /** posterior mean and sd of each marginalised parameter (the others fixed) */
  marginalised: Record<FullShapeLinearParam, { mean: number; sd: number }>;
  /** the bin-averaged model at the prior means, and at the posterior means, data-vector order */
  modelAtPriorMean: Float64Array;
  modelAtBestFit: Float64Array;
}

/** What the head returns per sample: -2 ln L marginalised (chi^2 + log-determinant term), or chi^2 alone. */
export type HeadObjective = 'marginalised' | 'chi2';

const VARS = 5; // b1, b2, bG2, f, h
const IDX = { b1: 0, b2: 1, bG2: 2, f: 3, h: 4 } as const;

/** The mean of a marginalised prior, as a dual number of b1. */
export function priorMean(prior: MarginalisedPrior, b1: Val<Dual> | number, o = dualOps(VARS)): Val<Dual> {
  // co-evolution of local Lagrangian bias (Saito et al. 2014 / the published likelihood): 23 (b1 - 1) / 42
  return prior.mean === 'coevolution' ? o.mul(23 / 42, o.sub(b1, 1)) : prior.mean;
}

export function priorSigma(prior: MarginalisedPrior, nbarInv: number): number {
  return prior.sigma === '1/nbar' ? nbarInv : prior.sigma;
}

interface SampleWork {
  input: MarginalisedInput;
  result: Marginalised;
  rowValues: Map<string, Float64Array>;
  model: Map<string, Val<Dual>>;
  templates: Map<FullShapeLinearParam, Map<string, Val<Dual>>>;
  blocks: Map<number, number>;
}

/** sum_j A[i, j] x[off + j] for every bin i (A [nb, nGrid] row-major). */
function binned(A: Float64Array, nb: number, nGrid: number, x: ArrayLike<number>, off: number, scale?: Float64Array): Float64Array {
  const out = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    let acc = 0;
    const row = i * nGrid;
    if (scale) for (let j = 0; j < nGrid; j++) acc += A[row + j] * scale[j] * x[off + j];
    else for (let j = 0; j < nGrid; j++) acc += A[row + j] * x[off + j];
    out[i] = acc;
  }
  return out;
}

/** Row values on a sample's bins: binned rows, k^2 ctr_4, the constant and (k/0.45)^2 at the centres. */
function sampleRows(problem: HeadProblem, s: HeadSample, rowsHost: Float32Array, nGrid: number, k2: Float64Array): Map<string, Float64Array> {
  const R = problem.rows.length;
  const nb = s.data.kCentres.length;
  const out = new Map<string, Float64Array>();
  problem.rows.forEach((name, r) => out.set(name, binned(s.bins, nb, nGrid, rowsHost, (s.zIndex * R + r) * nGrid)));
  const ctr4 = problem.rows.indexOf('ctr_4');
  out.set(K2_CTR4_HMPC, binned(s.bins, nb, nGrid, rowsHost, (s.zIndex * R + ctr4) * nGrid, k2));
  out.set(CONSTANT_ROW, new Float64Array(nb).fill(1));
  out.set(K045_ROW, s.data.kCentres.map((k) => (k / 0.45) ** 2));
  return out;
}

/** Values of a form (keys "l:row") on the sample's data vector. */
function formVector(form: Map<string, Val<Dual>>, rows: Map<string, Float64Array>, blocks: Map<number, number>, nb: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (const [key, c] of form) {
    const [lStr, row] = splitKey(key);
    const at = blocks.get(Number(lStr));
    if (at === undefined) continue;
    const cv = typeof c === 'number' ? c : c.v;
    const v = rows.get(row)!;
    for (let i = 0; i < nb; i++) out[at + i] += cv * v[i];
  }
  return out;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}

/**
 * Per-sample marginalised -2 ln L (without the priors on b2, bG2) as a differentiable op:
 * rows [Z, R, nGrid] (Mpc^3), bias [S, 3] (b1, b2, bG2), f [Z], h (scalar) -> [S].
 * `report` receives each forward evaluation's per-sample details. With `objective` 'chi2' the
 * op is the marginalised chi^2 alone (r^T C_m^{-1} r, no log-determinant term).
 */
export function fullShapeHead(
  problem: HeadProblem,
  rows: tf.Tensor,
  bias: tf.Tensor,
  f: tf.Tensor,
  h: tf.Tensor,
  report?: (evaluations: SampleEvaluation[]) => void,
  objective: HeadObjective = 'marginalised',
): tf.Tensor1D {
  const S = problem.samples.length;
  const nGrid = problem.grid.length;
  const R = problem.rows.length;
  const Z = rows.shape[0];
  const o = dualOps(VARS);
  const k2 = Float64Array.from(problem.grid, (k) => k * k);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const rowsHost = (args[0] as tf.Tensor).dataSync() as Float32Array;
    const biasHost = (args[1] as tf.Tensor).dataSync();
    const fHost = (args[2] as tf.Tensor).dataSync();
    const hHost = (args[3] as tf.Tensor).dataSync()[0];
    const work: SampleWork[] = [];
    const evaluations: SampleEvaluation[] = [];
    const values = new Float32Array(S);
    problem.samples.forEach((s, si) => {
      const b1 = o.variable(biasHost[si * 3], IDX.b1);
      const b2 = o.variable(biasHost[si * 3 + 1], IDX.b2);
      const bG2 = o.variable(biasHost[si * 3 + 2], IDX.bG2);
      const fz = o.variable(fHost[s.zIndex], IDX.f);
      const hh = o.variable(hHost, IDX.h);
      const means = Object.fromEntries(FULL_SHAPE_LINEAR_PARAMS.map((p) => [p, priorMean(problem.priors[p], b1, o)])) as Record<FullShapeLinearParam, Val<Dual>>;
      const { model, templates } = fullShapeTemplates(o, { b1, b2, bG2 }, means, fz, hh, problem.model);
      const nb = s.data.kCentres.length;
      const blocks = new Map(s.data.spec.ells.map((l, i) => [l, i * nb] as [number, number]));
      const n = s.data.data.length;
      const rowValues = sampleRows(problem, s, rowsHost, nGrid, k2);
      const mean = formVector(model, rowValues, blocks, nb, n);
      const residual = mean.map((v, i) => v - s.data.data[i]);
      const P = FULL_SHAPE_LINEAR_PARAMS.length;
      const t = new Float64Array(P * n);
      FULL_SHAPE_LINEAR_PARAMS.forEach((p, pi) => t.set(formVector(templates.get(p)!, rowValues, blocks, nb, n), pi * n));
      const sigma = Float64Array.from(FULL_SHAPE_LINEAR_PARAMS, (p) => priorSigma(problem.priors[p], s.data.spec.nbarInv));
      const input: MarginalisedInput = { residual, templates: t, sigma, choleskyC: s.data.cholesky };
      const result = marginalise(input);
      values[si] = objective === 'chi2' ? result.chi2 : result.value;
      work.push({ input, result, rowValues, model, templates, blocks });
      const best = Float64Array.from(mean);
      const marg = {} as SampleEvaluation['marginalised'];
      FULL_SHAPE_LINEAR_PARAMS.forEach((p, pi) => {
        const mu = means[p];
        const shift = sigma[pi] * result.shift[pi];
        marg[p] = { mean: (typeof mu === 'number' ? mu : mu.v) + shift, sd: sigma[pi] * result.sdScaled[pi] };
        for (let i = 0; i < n; i++) best[i] += shift * t[pi * n + i];
      });
      evaluations.push({ chi2: result.chi2, logDetTerm: result.logDetTerm, marginalised: marg, modelAtPriorMean: mean, modelAtBestFit: best });
    });
    report?.(evaluations);
    return {
      value: tf.tensor1d(values),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync();
        const dRows = new Float32Array(Z * R * nGrid);
        const dBias = new Float32Array(S * 3);
        const dF = new Float32Array(Z);
        let dH = 0;
        problem.samples.forEach((s, si) => {
          if (g[si] === 0) return;
          const w = work[si];
          const vjp = marginaliseVjp(w.input, w.result, g[si], objective !== 'chi2');
          const nb = s.data.kCentres.length;
          const n = s.data.data.length;
          const dRowValue = new Map<string, Float64Array>();
          const dVars = new Float64Array(VARS);
          const pull = (form: Map<string, Val<Dual>>, cot: Float64Array, offset: number) => {
            for (const [key, c] of form) {
              const [lStr, row] = splitKey(key);
              const at = w.blocks.get(Number(lStr));
              if (at === undefined) continue;
              const v = w.rowValues.get(row)!;
              let gc = 0;
              for (let i = 0; i < nb; i++) gc += cot[offset + at + i] * v[i];
              if (typeof c !== 'number') for (let k = 0; k < VARS; k++) dVars[k] += gc * c.d[k];
              const cv = typeof c === 'number' ? c : c.v;
              let d = dRowValue.get(row);
              if (!d) dRowValue.set(row, (d = new Float64Array(nb)));
              for (let i = 0; i < nb; i++) d[i] += cv * cot[offset + at + i];
            }
          };
          pull(w.model, vjp.residual, 0);
          FULL_SHAPE_LINEAR_PARAMS.forEach((p, pi) => pull(w.templates.get(p)!, vjp.templates, pi * n));
          // binned rows -> grid rows (A^T), k^2 ctr_4 -> ctr_4
          const toGrid = (row: string, scale?: Float64Array) => {
            const d = dRowValue.get(row);
            if (!d) return;
            const r = problem.rows.indexOf(row === K2_CTR4_HMPC ? 'ctr_4' : row);
            const off = (s.zIndex * R + r) * nGrid;
            const A = s.bins;
            for (let i = 0; i < nb; i++) {
              const di = d[i];
              if (di === 0) continue;
              const rowA = i * nGrid;
              if (scale) for (let j = 0; j < nGrid; j++) dRows[off + j] += di * A[rowA + j] * scale[j];
              else for (let j = 0; j < nGrid; j++) dRows[off + j] += di * A[rowA + j];
            }
          };
          for (const row of problem.rows) toGrid(row);
          toGrid(K2_CTR4_HMPC, k2);
          dBias[si * 3] = dVars[IDX.b1];
          dBias[si * 3 + 1] = dVars[IDX.b2];
          dBias[si * 3 + 2] = dVars[IDX.bG2];
          dF[s.zIndex] += dVars[IDX.f];
          dH += dVars[IDX.h];
        });
        return [tf.tensor(dRows, [Z, R, nGrid]), tf.tensor2d(dBias, [S, 3]), tf.tensor1d(dF), tf.scalar(dH)];
      },
    };
  });
  return op(rows, bias, f, tf.reshape(h, [])) as tf.Tensor1D;
}
