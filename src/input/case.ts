/**
 * One case in the oracle format (see README "Oracle format") as inputs of the library: only
 * `input`, `settings`, the scalars `derived.{h, z, f, hratio, Dratio, n_s, rs_drag_Mpc, A_s}`,
 * `output.k_Mpc` and `output.bias` are used — never CLASS-PT's answers (`fftlog`, other
 * `derived` values, components, spectra). Reading a file is the CLI's (../cli/case-file.ts).
 */
import type { CosmologyInput, LinearStageOptions } from './linear-stage';
import { ClaxPtInputError } from '../errors';
import { validateLinearPower } from './linear-power';
import { fftlogGrid } from '../fftlog/grid';

export interface CaseFile {
  id?: string;
  settings?: Record<string, unknown>;
  derived?: Record<string, unknown>;
  input?: { k_Mpc?: number[]; pk_lin_Mpc3?: number[] };
  output?: { k_Mpc?: number[]; bias?: Record<string, number> };
  [key: string]: unknown;
}

/** The earlier name of ClaxPtInputError (src/errors.ts), kept as an alias. */
export const InputError = ClaxPtInputError;
export type InputError = ClaxPtInputError;

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

type Sign = 'finite' | 'positive' | 'non-negative';

function scalar(c: CaseFile, key: string, sign: Sign = 'finite'): number {
  const v = c.derived?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ClaxPtInputError(`derived.${key}`, v === undefined ? 'missing' : `expected a finite number, got ${JSON.stringify(v)}`);
  }
  if ((sign === 'positive' && !(v > 0)) || (sign === 'non-negative' && !(v >= 0))) {
    throw new ClaxPtInputError(`derived.${key}`, `must be ${sign}, got ${v}`);
  }
  return v;
}

export interface CaseInputs {
  n: number;
  cosmology: CosmologyInput;
  options: LinearStageOptions & { redshiftSpace: boolean; alcockPaczynski: boolean; biasedTracers: boolean };
  /** the case's PNG setting: `predict` adds the fNL rows (other users of the options stay Gaussian) */
  primordialNonGaussianity: boolean;
  kOutMpc: number[];
  h: number;
  bias: Record<string, number>;
}

export function caseInputs(c: CaseFile): CaseInputs {
  const s = c.settings ?? {};
  const k = c.input?.k_Mpc;
  const p = c.input?.pk_lin_Mpc3;
  if (!Array.isArray(k)) throw new ClaxPtInputError('input.k_Mpc', 'missing or not an array');
  if (!Array.isArray(p)) throw new ClaxPtInputError('input.pk_lin_Mpc3', 'missing or not an array');
  const kOut = c.output?.k_Mpc;
  if (!Array.isArray(kOut)) throw new ClaxPtInputError('output.k_Mpc', 'missing or not an array');
  const ir = s['IR resummation'] === undefined ? true : yes(s['IR resummation']);
  const alpha = s['alpha_rs'] === undefined ? 1 : Number(s['alpha_rs']);
  if (!Number.isFinite(alpha) || alpha <= 0) throw new ClaxPtInputError('settings.alpha_rs', `must be a positive number, got ${JSON.stringify(s['alpha_rs'])}`);
  const h = scalar(c, 'h', 'positive');
  const rsd = s['RSD'] === undefined ? true : yes(s['RSD']);
  // CLASS-PT input.c (`input_read_parameters`): without an AP key, the RSD value decides
  const ap = rsd && (s['AP'] === undefined ? rsd : yes(s['AP']));
  const bias = s['Bias tracers'] === undefined ? true : yes(s['Bias tracers']);
  const png = yes(s['PNG']);
  const n = fftlogSizeFromMode(s['FFTLog mode']);
  const nS = scalar(c, 'n_s');
  validateLinearPower(
    { kMpc: Float64Array.from(k as unknown[], Number), pkMpc3: Float64Array.from(p as unknown[], Number), nS },
    '',
    { k: 'input.k_Mpc', p: 'input.pk_lin_Mpc3', nS: 'derived.n_s' },
  );
  const cosmology: CosmologyInput = {
    kMpc: k,
    pkMpc3: p,
    h,
    n_s: nS,
    rsDragMpc: ir ? scalar(c, 'rs_drag_Mpc', 'positive') : undefined,
    f: rsd ? scalar(c, 'f', 'non-negative') : undefined,
    hratio: ap ? scalar(c, 'hratio', 'positive') : undefined,
    Dratio: ap ? scalar(c, 'Dratio', 'positive') : undefined,
    A_s: png ? scalar(c, 'A_s', 'positive') : undefined,
  };
  // output k: positive, finite, inside the FFTLog range 5e-5 h .. 100 h
  if (kOut.length === 0) throw new ClaxPtInputError('output.k_Mpc', 'empty');
  const grid = fftlogGrid(n, h).kMpc;
  kOut.forEach((v: unknown, i: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new ClaxPtInputError(`output.k_Mpc[${i}]`, `must be a positive finite number, got ${JSON.stringify(v)}`);
    }
    if (v < grid[0] || v > grid[grid.length - 1]) {
      throw new ClaxPtInputError(
        `output.k_Mpc[${i}]`,
        `${v} 1/Mpc (${(v / h).toPrecision(4)} h/Mpc) lies outside the FFTLog range 5e-5 .. 100 h/Mpc`,
      );
    }
  });
  const biasIn = c.output?.bias ?? {};
  if (biasIn === null || typeof biasIn !== 'object') throw new ClaxPtInputError('output.bias', 'expected an object of nuisance parameters');
  for (const [name, v] of Object.entries(biasIn)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ClaxPtInputError(`output.bias.${name}`, `expected a finite number, got ${JSON.stringify(v)}`);
    }
  }
  return {
    n,
    h,
    cosmology,
    options: {
      irResummation: ir,
      noWiggle: yes(s['no-wiggle']),
      alphaRs: alpha,
      redshiftSpace: rsd,
      alcockPaczynski: ap,
      biasedTracers: bias,
    },
    primordialNonGaussianity: png,
    kOutMpc: kOut,
    bias: biasIn,
  };
}
