/**
 * Reading one case in the oracle format (see README "Oracle format"): only `input`, `settings`,
 * the scalars `derived.{h, z, f, hratio, Dratio, n_s, rs_drag_Mpc, A_s}`, `output.k_Mpc` and
 * `output.bias` are used — never CLASS-PT's answers (`fftlog`, other `derived` values,
 * components, spectra).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { CosmologyInput, LinearStageOptions } from '../input/linear-stage';

export interface CaseFile {
  id?: string;
  settings?: Record<string, unknown>;
  derived?: Record<string, unknown>;
  input?: { k_Mpc?: number[]; pk_lin_Mpc3?: number[] };
  output?: { k_Mpc?: number[]; bias?: Record<string, number> };
  [key: string]: unknown;
}

export class InputError extends Error {
  override name = 'InputError';
}

export function readCaseFile(path: string): CaseFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new InputError(`--case: cannot read '${path}': ${(e as Error).message}`);
  }
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  try {
    return JSON.parse(text) as CaseFile;
  } catch (e) {
    throw new InputError(`--case: '${path}' is not valid JSON: ${(e as Error).message}`);
  }
}

/** CLASS-PT's "FFTLog mode": contains "F" -> 128 (Fast), contains "P" -> 512 (Precise), else 256. */
export function fftlogSizeFromMode(mode: unknown): number {
  if (typeof mode !== 'string') return 256;
  if (mode.includes('F')) return 128;
  if (mode.includes('P')) return 512;
  return 256;
}

function yes(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase().startsWith('y');
}

function scalar(c: CaseFile, key: string): number {
  const v = c.derived?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new InputError(`derived.${key}: expected a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

export interface CaseInputs {
  n: number;
  cosmology: CosmologyInput;
  options: LinearStageOptions & { redshiftSpace: boolean; alcockPaczynski: boolean; biasedTracers: boolean };
  kOutMpc: number[];
  h: number;
  bias: Record<string, number>;
}

export function caseInputs(c: CaseFile): CaseInputs {
  const s = c.settings ?? {};
  const k = c.input?.k_Mpc;
  const p = c.input?.pk_lin_Mpc3;
  if (!Array.isArray(k)) throw new InputError('input.k_Mpc: missing or not an array');
  if (!Array.isArray(p)) throw new InputError('input.pk_lin_Mpc3: missing or not an array');
  const kOut = c.output?.k_Mpc;
  if (!Array.isArray(kOut)) throw new InputError('output.k_Mpc: missing or not an array');
  const ir = s['IR resummation'] === undefined ? true : yes(s['IR resummation']);
  const alpha = s['alpha_rs'] === undefined ? 1 : Number(s['alpha_rs']);
  const h = scalar(c, 'h');
  const rsd = s['RSD'] === undefined ? true : yes(s['RSD']);
  // CLASS-PT input.c (trap T1): without an AP key, the RSD value decides
  const ap = rsd && (s['AP'] === undefined ? rsd : yes(s['AP']));
  const bias = s['Bias tracers'] === undefined ? true : yes(s['Bias tracers']);
  return {
    n: fftlogSizeFromMode(s['FFTLog mode']),
    h,
    cosmology: {
      kMpc: k,
      pkMpc3: p,
      h,
      nS: scalar(c, 'n_s'),
      rsDragMpc: ir ? scalar(c, 'rs_drag_Mpc') : undefined,
      f: rsd ? scalar(c, 'f') : undefined,
      hratio: ap ? scalar(c, 'hratio') : undefined,
      Dratio: ap ? scalar(c, 'Dratio') : undefined,
    },
    options: {
      irResummation: ir,
      noWiggle: yes(s['no-wiggle']),
      alphaRs: alpha,
      redshiftSpace: rsd,
      alcockPaczynski: ap,
      biasedTracers: bias,
    },
    kOutMpc: kOut,
    bias: c.output?.bias ?? {},
  };
}
