/**
 * `clax-pt predict`: one case in the oracle format -> components and spectra as plain arrays.
 */
import { useBackend } from '../backend';
import { getPlan } from '../plan';
import { computeComponents } from '../compute';
import { computeAsync } from '../readback';
import { caseInputs, type CaseFile } from './case-file';
import { assembleSpectra } from './spectra';

export interface Prediction {
  /** the tfjs backend that computed it (wasm, cpu, webgl, webgpu, tensorflow) */
  backend: string;
  k_Mpc: number[];
  components_Mpc3: Record<string, number[]>;
  spectra_hMpc3: Record<string, number[]>;
}

/** Runs one case in the oracle format and returns plain arrays. */
export async function predictCase(c: CaseFile, backend?: string): Promise<Prediction> {
  const inputs = caseInputs(c); // reads and checks every field before any computation
  const used = await useBackend(backend);
  const plan = getPlan({ n: inputs.n });
  // computeAsync: a plain call where tensors read synchronously (every backend but WebGPU under Node)
  const result = await computeAsync(() =>
    computeComponents(plan, [inputs.cosmology], {
      ...inputs.options,
      primordialNonGaussianity: inputs.primordialNonGaussianity,
      kOutMpc: inputs.kOutMpc,
    }),
  );
  try {
    const components: Record<string, number[]> = {};
    for (const [name, t] of Object.entries(result.components)) components[name] = Array.from(await t.data());
    const spectra = await computeAsync(() => assembleSpectra(components, inputs));
    return { backend: used, k_Mpc: Array.from(result.kOutMpc[0]), components_Mpc3: components, spectra_hMpc3: spectra };
  } finally {
    result.dispose();
  }
}

