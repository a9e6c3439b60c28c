/**
 * The spectra `clax-pt predict` prints, assembled from the components with the case's nuisance
 * parameters (classy's formulas, ../assembly/spectra.ts): the oracle's `spectra_hMpc3` keys, in
 * (Mpc/h)^3, with classy's Pd2d2_0 (Simpson over the output k array) computed from `tree`.
 * Spectra whose components, nuisance parameters or growth rate are missing (e.g. RSD off, no
 * bias tracers) are left out. With the fNL rows present, classy's fNL spectra are added
 * (`mm_fNL_real`, ..., `gm_fNL_l4`, and `_ortho`), per unit fNL.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import { assembleAll, type Bias, type BiasName, type Param, type SpectrumName } from '../assembly/spectra';
import type { CaseInputs } from './case-file';
import { assembleFnl, type FnlBiasParams } from '../assembly/fnl-spectra';

export function assembleSpectra(
  components: Record<string, number[]>,
  inputs: CaseInputs,
): Record<string, number[]> {
  const names = Object.keys(components);
  if (names.length === 0) return {};
  const tensors: Record<string, tf.Tensor2D> = {};
  for (const name of names) tensors[name] = tf.tensor2d([components[name]]);
  try {
    const spectra = assembleAll(
      tensors,
      inputs.bias as Bias,
      { h: inputs.h, f: inputs.cosmology.f, kOutMpc: inputs.kOutMpc },
      { skipMissing: true },
    );
    const result: Record<string, number[]> = {};
    const b = inputs.bias as Record<string, number>;
    if ('fNL_d2' in tensors && ['b1', 'b2', 'bG2'].every((k) => typeof b[k] === 'number')) {
      const p: FnlBiasParams = { b1: b.b1, b2: b.b2, bG2: b.bG2 };
      Object.assign(spectra, assembleFnl(tensors, p, { h: inputs.h, fnlShape: 'equilateral' }), assembleFnl(tensors, p, { h: inputs.h, fnlShape: 'orthogonal' }));
    }
    for (const [name, t] of Object.entries(spectra)) {
      if (!t) continue;
      result[name] = Array.from(readSync(t, `spectrum ${name}`));
      t.dispose();
    }
    return result;
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}

/**
 * The spectra of a batch, (Mpc/h)^3: `components` [B, nK] tensors (as computeComponents returns
 * them), one value per input for each nuisance parameter, h and f, and one output-k row per
 * input (1/Mpc). Returns spectrum -> B rows. Parameters equal across the batch enter as numbers.
 */
export function assembleBatch(
  components: Record<string, tf.Tensor2D>,
  bias: Record<BiasName, number[]>,
  ctx: { h: number[]; f?: number[]; kOutMpc: number[][] },
  only: readonly SpectrumName[],
): Record<string, number[][]> {
  const made: tf.Tensor[] = [];
  const perInput = (v: number[]): Param => {
    if (v.every((x) => x === v[0])) return v[0];
    const t = tf.tensor1d(v);
    made.push(t);
    return t;
  };
  try {
    const b: Bias = {};
    for (const name of Object.keys(bias) as BiasName[]) b[name] = perInput(bias[name]);
    const spectra = assembleAll(
      components,
      b,
      { h: perInput(ctx.h), f: ctx.f ? perInput(ctx.f) : undefined, kOutMpc: ctx.kOutMpc.length === 1 ? ctx.kOutMpc[0] : ctx.kOutMpc },
      { only, skipMissing: true },
    );
    const out: Record<string, number[][]> = {};
    for (const [name, t] of Object.entries(spectra)) {
      if (!t) continue;
      const B = ctx.kOutMpc.length;
      const nK = ctx.kOutMpc[0].length;
      const v = readSync(t, `spectrum ${name}`);
      const rows: number[][] = [];
      for (let i = 0; i < B; i++) rows.push(Array.from(v.subarray(t.size === nK ? 0 : i * nK, (t.size === nK ? 0 : i * nK) + nK)));
      out[name] = rows;
      t.dispose();
    }
    return out;
  } finally {
    made.forEach((t) => t.dispose());
  }
}
