/**
 * The spectra `clax-pt predict` prints, assembled from the components with the case's nuisance
 * parameters (classy's formulas, ../assembly/spectra.ts): the oracle's `spectra_hMpc3` keys, in
 * (Mpc/h)^3, with classy's Pd2d2_0 (Simpson over the output k array) computed from `tree`.
 * Spectra whose components, nuisance parameters or growth rate are missing (e.g. RSD off, no
 * bias tracers) are left out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assembleAll, type Bias } from '../assembly/spectra';
import type { CaseInputs } from './case-file';

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
    for (const [name, t] of Object.entries(spectra)) {
      if (!t) continue;
      result[name] = Array.from(t.dataSync());
      t.dispose();
    }
    return result;
  } finally {
    Object.values(tensors).forEach((t) => t.dispose());
  }
}
