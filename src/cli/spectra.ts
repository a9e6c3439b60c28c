/**
 * The spectra `clax-pt predict` prints, assembled from the components with the case's nuisance
 * parameters (classy's formulas; filled in as the physics issues land).
 */
import type { CaseInputs } from './case-file';

export function assembleSpectra(
  components: Record<string, number[]>,
  inputs: CaseInputs,
): Record<string, number[]> {
  void components;
  void inputs;
  return {};
}
