/** The oracle cases the emulator can reproduce end to end, as predictFromCosmology inputs. */
import { caseInputs, type CaseFile } from '../src/cli/case-file';
import { COSMO_PARAM_RANGE, Z_RANGE, type CosmoParamName } from '../src/cosmology/params';
import type { CosmologyCase, EndToEndOptions } from '../src/cosmology/end-to-end';
import type { OracleCase } from './oracle';

export interface EmulatorOracleCase {
  cases: CosmologyCase[];
  options: EndToEndOptions;
  kHMpc: number[];
}

/**
 * The case as an end-to-end input, or a reason why it lies outside the emulator's range
 * (parameters, z, no massive neutrino, or no assembled spectra).
 */
export function emulatorCase(c: OracleCase): EmulatorOracleCase | string {
  const cp = (c as unknown as { cosmology: Record<string, number> }).cosmology;
  const lnA = cp['ln10^{10}A_s'] ?? Math.log(cp.A_s * 1e10);
  const params: Record<CosmoParamName, number> = {
    omega_b: cp.omega_b, omega_cdm: cp.omega_cdm, h: cp.h, 'ln10^{10}A_s': lnA, n_s: cp.n_s, m_ncdm: cp.m_ncdm ?? 0,
  };
  if (cp.N_ncdm !== 1) return 'no massive neutrino';
  for (const [n, [lo, hi]] of Object.entries(COSMO_PARAM_RANGE)) {
    const v = params[n as CosmoParamName];
    if (!(v >= lo && v <= hi)) return `${n} = ${v} outside [${lo}, ${hi}]`;
  }
  const z = c.derived.z;
  if (z < Z_RANGE[0] || z > Z_RANGE[1]) return `z = ${z} outside the range`;
  const out = (c as unknown as { output: { spectra_hMpc3?: unknown; k_hMpc: number[] } }).output;
  if (!out.spectra_hMpc3) return 'no assembled spectra';
  const inputs = caseInputs(c as unknown as CaseFile);
  const omfid = Number(c.settings.Omfid ?? 0.31);
  return {
    cases: [{ params, z, bias: inputs.bias }],
    options: {
      kOutMpc: inputs.kOutMpc,
      n: inputs.n,
      omfid,
      alcockPaczynski: inputs.options.alcockPaczynski,
      irResummation: inputs.options.irResummation,
      redshiftSpace: inputs.options.redshiftSpace,
      biasedTracers: inputs.options.biasedTracers,
      linearSpectrum: String(c.settings.cb ?? 'Yes').toLowerCase().startsWith('y') ? 'cb' : 'm',
    },
    kHMpc: out.k_hMpc,
  };
}
