/**
 * `--cosmo FILE` inputs: cosmological parameters instead of a linear P(k) table.
 *
 *   {"params": {"omega_b": ..., "omega_cdm": ..., "h": ..., "ln10^{10}A_s": ..., "n_s": ...,
 *               "m_ncdm": ...},
 *    "z": 0.5 | [0.38, 0.61],            redshifts in [0, 3]
 *    "k_Mpc": [...],                     (clax-pt linear) output k in 1/Mpc, [1e-4, 20]
 *    "Omfid": 0.31,                      (compute) fiducial Omega_m of the AP ratios
 *    "cb": true,                         (compute) loops from P_cb (default) or P_m (false)
 *    "bias": {"b1": 2, ...}}             (compute) nuisance parameters (also "nuisance")
 *
 * `clax-pt linear` prints the emulator's answer in the training records' names and units;
 * `clax-pt compute --cosmo` turns each z into one input of the batch (linear P, f, r_s,drag
 * from the emulator, hratio and Dratio from the background).
 */
import { ClaxPtInputError } from '../errors';
import { readJsonObject, type RawInput } from './inputs';
import { getEmulator, linearQuantities } from '../cosmology/emulator';
import { apRatiosHost, C_KM_S, hostBackground } from '../cosmology/background';
import { validateCosmoParams, validateRedshifts, type CosmoParamName } from '../cosmology/params';

export interface CosmoFile {
  params: Record<CosmoParamName, number>;
  z: number[];
  kMpc?: number[];
  omfid: number;
  cb: boolean;
  bias: Record<string, unknown>;
}

const KEYS = ['params', 'z', 'k_Mpc', 'Omfid', 'omfid', 'cb', 'bias', 'nuisance'];

export function readCosmoFile(path: string, field = '--cosmo'): CosmoFile {
  const obj = readJsonObject(path, field);
  for (const key of Object.keys(obj)) {
    if (!KEYS.includes(key)) throw new ClaxPtInputError(`${key} (${path})`, `unknown key (expected ${KEYS.join(', ')})`);
  }
  const params = validateCosmoParams(obj.params, 'params');
  const z = validateRedshifts(obj.z, 'z');
  const kRaw = obj.k_Mpc;
  let kMpc: number[] | undefined;
  if (kRaw !== undefined) {
    if (!Array.isArray(kRaw) || kRaw.length === 0) throw new ClaxPtInputError('k_Mpc', 'expected a non-empty array of wavenumbers in 1/Mpc');
    kMpc = kRaw.map((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ClaxPtInputError(`k_Mpc[${i}]`, `must be a finite number, got ${JSON.stringify(v)}`);
      return v;
    });
  }
  const omfid = (obj.Omfid ?? obj.omfid ?? 0.31) as unknown;
  if (typeof omfid !== 'number' || !(omfid > 0 && omfid < 1)) throw new ClaxPtInputError('Omfid', `must be a number in (0, 1), got ${JSON.stringify(omfid)}`);
  const cb = obj.cb ?? true;
  if (typeof cb !== 'boolean') throw new ClaxPtInputError('cb', `must be true or false, got ${JSON.stringify(cb)}`);
  const bias = (obj.bias ?? obj.nuisance ?? {}) as Record<string, unknown>;
  if (bias === null || typeof bias !== 'object' || Array.isArray(bias)) throw new ClaxPtInputError('bias', 'expected an object of nuisance parameters');
  return { params, z, kMpc, omfid, cb, bias };
}

/** `clax-pt linear`: the emulator's P_m, P_cb, f, H, D_A, D, sigma8, r_s,drag as JSON. */
export function linearFromFile(path: string) {
  const c = readCosmoFile(path);
  if (!c.kMpc) throw new ClaxPtInputError('k_Mpc', `missing in ${path} (the output wavenumbers in 1/Mpc)`);
  return linearQuantities({ params: c.params, z: c.z, kMpc: c.kMpc });
}

/** `clax-pt compute --cosmo`: one RawInput per z, from the emulator and the background. */
export function cosmoRawInputs(path: string): RawInput[] {
  const c = readCosmoFile(path);
  const em = getEmulator();
  const p = c.params;
  const bg = hostBackground({ omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm });
  const rows = c.z.map((z) => em.evaluateHost(p, z, em.kGridMpc));
  const ap = c.z.map((z) => apRatiosHost(bg.E(z), (bg.chi(z) * 100 * p.h) / C_KM_S, bg.omegaG, z, c.omfid));
  const pk = rows.map((r) => Array.from(c.cb ? r.pkCb : r.pkM));
  const src = `emulator (${path})`;
  return c.z.map((z, b) => ({
    label: `${path} z=${z}`,
    k: Array.from(em.kGridMpc),
    p: pk[b],
    fixedUnits: true,
    kField: (i: number) => `emulator k[${i}]`,
    pField: (i: number) => `emulator P[${i}]`,
    kArrayField: 'emulator k',
    scalars: {
      z: { value: z, field: `z (${path})` },
      h: { value: c.params.h, field: `params.h (${path})` },
      ns: { value: c.params.n_s, field: `params.n_s (${path})` },
      f: { value: rows[b].f, field: `f ${src}` },
      'rs-drag': { value: rows[b].rsDrag, field: `rs_drag ${src}` },
      hratio: { value: ap[b].hratio, field: `hratio ${src}` },
      Dratio: { value: ap[b].Dratio, field: `Dratio ${src}` },
    },
    bias: Object.fromEntries(Object.entries(c.bias).map(([k, v]) => [k, { value: v, field: `bias.${k} (${path})` }])),
  }));
}
