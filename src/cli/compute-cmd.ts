/**
 * `clax-pt compute`: spectra for the built-in default cosmology, or for linear P(k) inputs given
 * on the command line. All inputs run as one batch (one computeComponents call). Every input is
 * read and checked before any computation.
 */
import { basename, extname } from 'node:path';
import { ClaxPtInputError } from '../errors';
import { useBackend } from '../backend';
import { getPlan } from '../plan';
import { computeComponents } from '../compute';
import { computeAsync } from '../readback';
import { validateComputeInputs } from '../validate';
import { fftlogGrid } from '../fftlog/grid';
import { tiltOf, type CosmologyInput } from '../input/linear-stage';
import { BIAS_NAMES, SPECTRUM_NAMES, type BiasName, type SpectrumName } from '../assembly/spectra';
import { checkBackend, checkNumber, parseChoice, parseChoiceInt, parseNumber, parseOptions, type OptionSpecs } from './args';
import {
  caseAsInput, expandInputPaths, readInputFile, readJsonObject, readKOutFile, readParamsFile,
  SCALAR_JSON_KEYS, SCALAR_KEYS, type RawInput, type ScalarKey, type Sourced,
} from './inputs';
import { assembleBatch } from './spectra';
import { cosmoRawInputs } from './cosmo';
import { ProgressBar, type TextSink } from './progress';

export const COMPUTE_OPTIONS: OptionSpecs = {
  pk: { type: 'string', multiple: true },
  cosmo: { type: 'string' },
  'k-units': { type: 'string' },
  'pk-units': { type: 'string' },
  z: { type: 'string' },
  h: { type: 'string' },
  f: { type: 'string' },
  ns: { type: 'string' },
  'rs-drag': { type: 'string' },
  hratio: { type: 'string' },
  Dratio: { type: 'string' },
  'no-ap': { type: 'boolean' },
  'no-rsd': { type: 'boolean' },
  'no-bias': { type: 'boolean' },
  ir: { type: 'boolean' },
  'no-ir': { type: 'boolean' },
  n: { type: 'string' },
  params: { type: 'string' },
  ...Object.fromEntries(BIAS_NAMES.map((b) => [b, { type: 'string' as const }])),
  kmin: { type: 'string' },
  kmax: { type: 'string' },
  nk: { type: 'string' },
  'k-out': { type: 'string' },
  spectra: { type: 'string' },
  format: { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Output k defaults (h/Mpc) when an input does not bring its own. */
export const DEFAULT_K_RANGE = { kmin: 1e-3, kmax: 0.5, nk: 100 };

export type OutputFormat = 'table' | 'csv' | 'json';

export interface ComputeSettings {
  n: number;
  ir: boolean;
  rsd: boolean;
  ap: boolean;
  biasedTracers: boolean;
  backend?: string;
  format: OutputFormat;
  spectra: SpectrumName[];
  kUnits: 'h/Mpc' | '1/Mpc';
  pkUnits: '(Mpc/h)^3' | 'Mpc^3';
}

export interface ResolvedInput {
  label: string;
  z?: number;
  h: number;
  cosmology: CosmologyInput;
  bias: Record<BiasName, number>;
  kOutMpc: number[];
}

export interface ComputeRun {
  settings: ComputeSettings;
  inputs: ResolvedInput[];
  /** the shared output k in h/Mpc, when all inputs share one (range or --k-out) */
  kOutHMpc?: number[];
}

type Values = Record<string, string | string[] | boolean | undefined>;

const NEEDS_RSD = new Set<SpectrumName>(['mm_l0', 'mm_l2', 'mm_l4', 'gg_l0', 'gg_l2', 'gg_l4', 'gm_l0', 'gm_l2', 'gm_l4']);
const NEEDS_BIAS = new Set<SpectrumName>(['gg_real', 'gm_real', 'gg_l0', 'gg_l2', 'gg_l4', 'gm_l0', 'gm_l2', 'gm_l4']);

function settingsFrom(v: Values): ComputeSettings {
  if (v.ir && v['no-ir']) throw new ClaxPtInputError('--ir', 'given together with --no-ir (choose one)');
  const n = v.n === undefined ? 256 : parseChoiceInt('--n', v.n as string, [128, 256, 512]);
  const rsd = !v['no-rsd'];
  const ap = rsd && !v['no-ap'];
  const biasedTracers = !v['no-bias'];
  checkBackend(v.backend);
  const format: OutputFormat = v.json
    ? 'json'
    : v.format === undefined
      ? 'table'
      : parseChoice<OutputFormat>('--format', v.format as string, { table: 'table', csv: 'csv', json: 'json' });
  if (v.json && v.format !== undefined && v.format !== 'json') throw new ClaxPtInputError('--json', `contradicts --format ${v.format as string}`);
  const available = SPECTRUM_NAMES.filter((s) => (rsd || !NEEDS_RSD.has(s)) && (biasedTracers || !NEEDS_BIAS.has(s)));
  let spectra: SpectrumName[] = available;
  if (v.spectra !== undefined) {
    const list = (v.spectra as string).split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (list.length === 0) throw new ClaxPtInputError('--spectra', 'empty (give a comma-separated list such as mm_real,gg_l0)');
    spectra = [];
    for (const s of list) {
      if (s === 'all') {
        spectra.push(...available);
        continue;
      }
      if (!(SPECTRUM_NAMES as readonly string[]).includes(s)) {
        throw new ClaxPtInputError('--spectra', `unknown spectrum '${s}' (expected ${SPECTRUM_NAMES.join(', ')} or all)`);
      }
      const name = s as SpectrumName;
      if (!rsd && NEEDS_RSD.has(name)) throw new ClaxPtInputError('--spectra', `${name} is a redshift-space multipole, but --no-rsd was given`);
      if (!biasedTracers && NEEDS_BIAS.has(name)) throw new ClaxPtInputError('--spectra', `${name} needs the bias operators, but --no-bias was given`);
      spectra.push(name);
    }
    spectra = [...new Set(spectra)];
  }
  const kUnits = v['k-units'] === undefined
    ? '1/Mpc'
    : parseChoice('--k-units', v['k-units'] as string, { 'h/Mpc': 'h/Mpc', hmpc: 'h/Mpc', h: 'h/Mpc', '1/Mpc': '1/Mpc', 'Mpc^-1': '1/Mpc', mpc: '1/Mpc' } as const);
  const pkUnits = v['pk-units'] === undefined
    ? 'Mpc^3'
    : parseChoice('--pk-units', v['pk-units'] as string, {
        '(Mpc/h)^3': '(Mpc/h)^3', 'Mpc/h^3': '(Mpc/h)^3', '(Mpc/h)3': '(Mpc/h)^3', 'Mpc^3/h^3': '(Mpc/h)^3',
        'Mpc^3': 'Mpc^3', Mpc3: 'Mpc^3',
      } as const);
  return { n, ir: !v['no-ir'], rsd, ap, biasedTracers, backend: v.backend as string | undefined, format, spectra, kUnits, pkUnits };
}

/** The built-in default cosmology as an input (data/default-cosmology.json). */
function defaultInput(path: string): RawInput {
  return { ...caseAsInput(readJsonObject(path, 'default cosmology'), path), label: 'default' };
}

function scalarFlags(v: Values): Partial<Record<ScalarKey, Sourced>> {
  const out: Partial<Record<ScalarKey, Sourced>> = {};
  for (const key of SCALAR_KEYS) {
    const raw = v[key];
    if (raw !== undefined) out[key] = { value: parseNumber(`--${key}`, raw as string), field: `--${key}` };
  }
  return out;
}

function biasFlags(v: Values): Record<string, Sourced> {
  const out: Record<string, Sourced> = {};
  for (const b of BIAS_NAMES) {
    if (v[b] !== undefined) out[b] = { value: parseNumber(`--${b}`, v[b] as string), field: `--${b}` };
  }
  return out;
}

function hint(raw: RawInput, key: ScalarKey): string {
  if (raw.label === 'default') return `give --${key}`;
  const file = basename(raw.label);
  if (raw.fixedUnits) return `give --${key}, or derived.${SCALAR_JSON_KEYS[key][0]} in ${file}`;
  const side = raw.label.endsWith('.json') ? file : `${basename(raw.label, extname(raw.label))}.json`;
  return `give --${key}, or "${SCALAR_JSON_KEYS[key][0]}" in ${side}`;
}

/** Checks one input's table and scalars and converts it to CLASS units (1/Mpc, Mpc^3). */
function resolveInput(
  raw: RawInput,
  s: ComputeSettings,
  flags: Partial<Record<ScalarKey, Sourced>>,
  biasCli: Record<string, Sourced>,
  biasDefaults: Record<string, number>,
): Omit<ResolvedInput, 'kOutMpc'> {
  const scalar = (key: ScalarKey, sign: 'finite' | 'positive' | 'non-negative', why?: string, alt?: string): number | undefined => {
    const src = flags[key] ?? raw.scalars[key];
    if (src === undefined) {
      if (why === undefined) return undefined;
      throw new ClaxPtInputError(`--${key}`, `missing for ${raw.label} (${why}): ${hint(raw, key)}${alt ? `, or ${alt}` : ''}`);
    }
    return checkNumber(src.field, src.value, sign);
  };
  const z = scalar('z', 'non-negative');
  const h = scalar('h', 'positive', 'the reduced Hubble constant') as number;
  const nS = scalar('ns', 'finite', 'n_s sets the low-k extrapolation') as number;
  const rsDrag = s.ir ? scalar('rs-drag', 'positive', 'r_s,drag in Mpc, needed for IR resummation', '--no-ir') : undefined;
  const f = s.rsd ? scalar('f', 'non-negative', 'the growth rate, needed in redshift space', '--no-rsd') : undefined;
  const hratio = s.ap ? scalar('hratio', 'positive', 'H_true/H_fid, needed for the AP projection', '--no-ap') : undefined;
  const Dratio = s.ap ? scalar('Dratio', 'positive', 'D_A,true/D_A,fid, needed for the AP projection', '--no-ap') : undefined;

  // the table: lengths, size, finite values, positive k and P, k strictly increasing
  const { k, p } = raw;
  if (k.length !== p.length) {
    throw new ClaxPtInputError(raw.pField(p.length).replace(/\[\d+\]/, ''), `has ${p.length} values but ${raw.kArrayField} has ${k.length} (they must have the same length)`);
  }
  if (k.length < 4) throw new ClaxPtInputError(raw.kArrayField, `needs at least 4 points, got ${k.length}`);
  for (let i = 0; i < k.length; i++) {
    if (!Number.isFinite(k[i])) throw new ClaxPtInputError(raw.kField(i), `is ${k[i]} (expected a finite number)`);
    if (!Number.isFinite(p[i])) throw new ClaxPtInputError(raw.pField(i), `is ${p[i]} (expected a finite number)`);
    if (!(k[i] > 0)) throw new ClaxPtInputError(raw.kField(i), `must be positive, got ${k[i]}`);
    if (!(p[i] > 0)) throw new ClaxPtInputError(raw.pField(i), `the power must be positive, got ${p[i]}`);
    if (i > 0 && !(k[i] > k[i - 1])) {
      throw new ClaxPtInputError(raw.kField(i), `k must be strictly increasing, but ${k[i]} follows ${k[i - 1]}`);
    }
  }
  const kScale = raw.fixedUnits || s.kUnits === '1/Mpc' ? 1 : h;
  const pScale = raw.fixedUnits || s.pkUnits === 'Mpc^3' ? 1 : 1 / (h * h * h);

  // nuisance parameters: flags > --params > the input's own (sidecar / case) > defaults
  const bias = {} as Record<BiasName, number>;
  for (const [name, src] of [...Object.entries(raw.bias), ...Object.entries(biasCli)]) {
    if (!(BIAS_NAMES as readonly string[]).includes(name)) {
      throw new ClaxPtInputError(src.field, `unknown nuisance parameter (expected ${BIAS_NAMES.join(', ')})`);
    }
  }
  for (const b of BIAS_NAMES) {
    const src = biasCli[b] ?? raw.bias[b];
    bias[b] = src === undefined ? biasDefaults[b] : checkNumber(src.field, src.value, 'finite');
  }
  return {
    label: raw.label,
    z,
    h,
    cosmology: {
      kMpc: k.map((v) => v * kScale),
      pkMpc3: p.map((v) => v * pScale),
      h,
      nS,
      rsDragMpc: rsDrag,
      f,
      hratio,
      Dratio,
    },
    bias,
  };
}

function logspace(a: number, b: number, n: number): number[] {
  const la = Math.log(a);
  const lb = Math.log(b);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : Math.exp(la + ((lb - la) * i) / (n - 1))));
}

interface KOutPlan {
  /** shared h/Mpc grid, with the field of each value */
  kh?: number[];
  field?: (i: number) => string;
  fromFile?: boolean;
}

/** A number in 4 significant digits, without trailing zeros. */
function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function outputKPlan(v: Values, raws: RawInput[]): KOutPlan {
  const range = v.kmin !== undefined || v.kmax !== undefined || v.nk !== undefined;
  if (v['k-out'] !== undefined) {
    if (range) throw new ClaxPtInputError('--k-out', 'given together with --kmin/--kmax/--nk (choose one)');
    const { k, field } = readKOutFile(v['k-out'] as string);
    if (k.length < 2) throw new ClaxPtInputError(`--k-out ${v['k-out'] as string}`, `needs at least 2 wavenumbers, got ${k.length}`);
    k.forEach((x, i) => {
      checkNumber(field(i), x, 'positive');
      if (i > 0 && !(x > k[i - 1])) throw new ClaxPtInputError(field(i), `k must be strictly increasing, but ${x} follows ${k[i - 1]}`);
    });
    return { kh: k, field, fromFile: true };
  }
  if (!range && raws.length === 1 && raws[0].kOutMpc) return {}; // the input's own output k
  const kmin = v.kmin === undefined ? DEFAULT_K_RANGE.kmin : checkNumber('--kmin', parseNumber('--kmin', v.kmin as string), 'positive');
  const kmax = v.kmax === undefined ? DEFAULT_K_RANGE.kmax : checkNumber('--kmax', parseNumber('--kmax', v.kmax as string), 'positive');
  const nk = v.nk === undefined ? DEFAULT_K_RANGE.nk : checkNumber('--nk', parseNumber('--nk', v.nk as string), 'positive');
  if (!Number.isInteger(nk) || nk < 2 || nk > 100000) throw new ClaxPtInputError('--nk', `must be an integer from 2 to 100000, got ${nk}`);
  if (!(kmax > kmin)) throw new ClaxPtInputError('--kmax', `must exceed --kmin (${kmin}), got ${kmax}`);
  const kh = logspace(kmin, kmax, nk);
  return { kh, field: (i) => (i === 0 ? '--kmin' : '--kmax') };
}

/** Output k of one input in 1/Mpc, checked against the FFTLog range and the input table. */
function outputK(plan: KOutPlan, raw: RawInput, r: Omit<ResolvedInput, 'kOutMpc'>, n: number): number[] {
  let kMpc: number[];
  let field: (i: number) => string;
  if (plan.kh) {
    kMpc = plan.kh.map((x) => x * r.h);
    field = plan.field as (i: number) => string;
  } else {
    const src = raw.kOutMpc as Sourced<unknown[]>;
    const base = src.field.replace(/ \(.*\)$/, '');
    const file = /\((.*)\)$/.exec(src.field)?.[1];
    field = (i) => `${base}[${i}]${file ? ` (${file})` : ''}`;
    if (src.value.length < 2) throw new ClaxPtInputError(src.field, `needs at least 2 wavenumbers, got ${src.value.length}`);
    kMpc = src.value.map((x, i) => checkNumber(field(i), x, 'positive'));
  }
  const grid = fftlogGrid(n, r.h).kMpc;
  const lo = grid[0];
  const hi = grid[grid.length - 1];
  // the grid's last node is 100 h up to rounding: a k within 1e-9 of an end counts as the end
  kMpc = kMpc.map((k) => (k > hi && k <= hi * (1 + 1e-9) ? hi : k < lo && k >= lo * (1 - 1e-9) ? lo : k));
  const ends = plan.kh && !plan.fromFile ? [0, kMpc.length - 1] : kMpc.map((_, i) => i); // a range: its ends
  for (const i of ends) {
    const k = kMpc[i];
    if (k < lo || k > hi) {
      throw new ClaxPtInputError(
        field(i),
        `k = ${fmt(k / r.h)} h/Mpc lies outside the FFTLog range 5e-5 .. 100 h/Mpc that the loop integrals cover`,
      );
    }
  }
  const kin = r.cosmology.kMpc as number[];
  const kLo = Math.min(...kMpc);
  const kHi = Math.max(...kMpc);
  if (kin[0] > kLo * (1 + 1e-12) || kin[kin.length - 1] < kHi * (1 - 1e-12)) {
    throw new ClaxPtInputError(
      raw.kArrayField,
      `the linear P(k) spans ${fmt(kin[0] / r.h)} .. ${fmt(kin[kin.length - 1] / r.h)} h/Mpc, ` +
        `which does not reach the output k range ${fmt(kLo / r.h)} .. ${fmt(kHi / r.h)} h/Mpc ` +
        '(extend the table, or narrow --kmin/--kmax; check --k-units)',
    );
  }
  return kMpc;
}

/** Reads and checks everything `compute` needs, without computing. */
export function prepareCompute(v: Values, defaultCosmologyPath: string, progress?: ProgressBar | null, paths?: string[]): ComputeRun {
  const settings = settingsFrom(v);
  const flags = scalarFlags(v);
  const biasCli = { ...(v.params !== undefined ? readParamsFile(v.params as string) : {}), ...biasFlags(v) };
  const defaults = defaultInput(defaultCosmologyPath);
  const biasDefaults = Object.fromEntries(Object.entries(defaults.bias).map(([k, s]) => [k, s.value as number]));
  const files = paths ?? (v.pk === undefined ? [] : expandInputPaths(v.pk as string[]));
  const raws: RawInput[] = [];
  if (v.cosmo !== undefined) {
    if (files.length > 0) throw new ClaxPtInputError('--cosmo', 'given together with --pk (choose one kind of input)');
    raws.push(...cosmoRawInputs(v.cosmo as string));
  } else if (files.length === 0) {
    raws.push(defaults);
  } else {
    for (const f of files) {
      raws.push(readInputFile(f));
      progress?.step(`read ${basename(f)}`);
    }
  }
  const kPlan = outputKPlan(v, raws);
  const inputs = raws.map((raw) => {
    const r = resolveInput(raw, settings, flags, biasCli, biasDefaults);
    return { ...r, kOutMpc: outputK(kPlan, raw, r, settings.n) };
  });
  if (!kPlan.kh && inputs.length > 1) {
    const len = inputs[0].kOutMpc.length;
    const bad = inputs.find((r) => r.kOutMpc.length !== len);
    if (bad) throw new ClaxPtInputError('--kmin/--kmax/--nk', `the inputs bring output k arrays of different lengths; give a common output k`);
  }
  // the library's own checks, before any computation (a backstop: the above names CLI fields)
  validateComputeInputs(
    settings.n,
    inputs.map((r) => r.cosmology),
    { kOutMpc: inputs.map((r) => r.kOutMpc), irResummation: settings.ir, redshiftSpace: settings.rsd, alcockPaczynski: settings.ap, biasedTracers: settings.biasedTracers },
  );
  return { settings, inputs, kOutHMpc: kPlan.kh };
}

export interface BatchResult {
  run: ComputeRun;
  /** spectrum -> one row per input, (Mpc/h)^3 */
  spectra: Record<string, number[][]>;
}

/** Runs one batch: one computeComponents call for every input. */
export async function runCompute(run: ComputeRun, progress?: ProgressBar | null): Promise<BatchResult> {
  const { settings, inputs } = run;
  await useBackend(settings.backend);
  const B = inputs.length;
  progress?.show(`computing ${B} cosmolog${B === 1 ? 'y' : 'ies'} in one batch (N = ${settings.n})`);
  const plan = getPlan({ n: settings.n });
  // computeAsync: a plain call on every backend that reads synchronously (../readback.ts)
  const result = await computeAsync(() =>
    computeComponents(
      plan,
      inputs.map((r) => r.cosmology),
      {
        kOutMpc: inputs.map((r) => r.kOutMpc),
        irResummation: settings.ir,
        redshiftSpace: settings.rsd,
        alcockPaczynski: settings.ap,
        biasedTracers: settings.biasedTracers,
      },
    ),
  );
  progress?.step('computed the components', 2 * B);
  try {
    const bias = Object.fromEntries(BIAS_NAMES.map((b) => [b, inputs.map((r) => r.bias[b])])) as Record<BiasName, number[]>;
    const spectra = await computeAsync(() =>
      assembleBatch(
        result.components,
        bias,
        { h: inputs.map((r) => r.h), f: settings.rsd ? inputs.map((r) => r.cosmology.f as number) : undefined, kOutMpc: inputs.map((r) => r.kOutMpc) },
        settings.spectra,
      ),
    );
    progress?.step('assembled the spectra');
    return { run, spectra };
  } finally {
    result.dispose();
  }
}

function kColumn(run: ComputeRun, b: number): number[] {
  const r = run.inputs[b];
  return run.kOutHMpc ?? r.kOutMpc.map((k) => k / r.h);
}

/** The result as a table, CSV or JSON text. */
export function formatBatch(res: BatchResult): string {
  const { run, spectra } = res;
  const names = run.settings.spectra.filter((s) => spectra[s]);
  const B = run.inputs.length;
  if (run.settings.format === 'json') {
    const out = {
      settings: {
        n: run.settings.n,
        irResummation: run.settings.ir,
        redshiftSpace: run.settings.rsd,
        alcockPaczynski: run.settings.ap,
        biasedTracers: run.settings.biasedTracers,
      },
      units: { k_hMpc: 'h/Mpc', k_Mpc: '1/Mpc', spectra_hMpc3: '(Mpc/h)^3' },
      results: run.inputs.map((r, b) => ({
        input: r.label,
        ...(r.z !== undefined ? { z: r.z } : {}),
        h: r.h,
        n_s: tiltOf(r.cosmology),
        ...(run.settings.ir ? { rs_drag_Mpc: r.cosmology.rsDragMpc } : {}),
        ...(run.settings.rsd ? { f: r.cosmology.f } : {}),
        ...(run.settings.ap ? { hratio: r.cosmology.hratio, Dratio: r.cosmology.Dratio } : {}),
        bias: r.bias,
        k_hMpc: kColumn(run, b),
        k_Mpc: r.kOutMpc,
        spectra_hMpc3: Object.fromEntries(names.map((s) => [s, spectra[s][b]])),
      })),
    };
    return JSON.stringify(out) + '\n';
  }
  if (run.settings.format === 'csv') {
    const lines = [['input', 'k_hMpc', ...names].join(',')];
    run.inputs.forEach((r, b) => {
      const label = /[",\n]/.test(r.label) ? `"${r.label.replace(/"/g, '""')}"` : r.label;
      kColumn(run, b).forEach((k, i) => {
        lines.push([label, k.toExponential(8), ...names.map((s) => spectra[s][b][i].toExponential(7))].join(','));
      });
    });
    return lines.join('\n') + '\n';
  }
  const blocks = run.inputs.map((r, b) => {
    const head = ['k [h/Mpc]', ...names].map((s) => s.padStart(13)).join('');
    const lines = B > 1 ? [`# input: ${r.label}`, head] : [head];
    kColumn(run, b).forEach((k, i) => {
      lines.push([k.toExponential(5), ...names.map((s) => spectra[s][b][i].toExponential(5))].map((s) => s.padStart(13)).join(''));
    });
    return lines.join('\n') + '\n';
  });
  return blocks.join('\n');
}

/** `clax-pt compute ...` with parsed options; returns the exit status. */
export async function computeCommand(
  args: string[],
  io: { stdout: TextSink; stderr: TextSink },
  defaultCosmologyPath: string,
): Promise<number> {
  const { values } = parseOptions('compute', args, COMPUTE_OPTIONS);
  if (values.help) {
    io.stdout.write(COMPUTE_HELP);
    return 0;
  }
  // settings first (cheap, and they must be valid before files are read)
  settingsFrom(values);
  const files = values.pk === undefined ? [] : expandInputPaths(values.pk as string[]);
  const B = Math.max(1, files.length);
  const show = values['no-progress'] ? false : values.progress ? true : B > 1 && Boolean(io.stderr.isTTY);
  const progress = show ? new ProgressBar(io.stderr, files.length + 2 * B + 2) : null;
  if (values.cosmo !== undefined) await useBackend(values.backend as string | undefined); // the emulator runs while preparing
  const run = prepareCompute(values, defaultCosmologyPath, progress, files);
  const res = await runCompute(run, progress);
  const text = formatBatch(res);
  progress?.finish(`done: ${B} input${B === 1 ? '' : 's'}, ${run.inputs[0].kOutMpc.length} k each`);
  io.stdout.write(text);
  return 0;
}

export const COMPUTE_HELP = `clax-pt compute [options]

Computes CLASS-PT's one-loop spectra. Without --pk: the built-in default cosmology
(Planck 2018-like, z = 0.5, data/default-cosmology.json), printed as a table of k (h/Mpc)
and the spectra ((Mpc/h)^3). Every input is checked before anything is computed.

Inputs
  --cosmo FILE         cosmological parameters instead of a P(k) table: JSON
                         {"params": {"omega_b", "omega_cdm", "h", "ln10^{10}A_s", "n_s",
                          "m_ncdm"}, "z": 0.5 or [0.38, 0.61], "bias": {...},
                          "Omfid": 0.31, "cb": true}
                       the linear spectrum (P_cb, or P_m with "cb": false), f and r_s,drag come
                       from the emulator, hratio and Dratio from the background (CLASS-PT's
                       definitions with Omfid); one input per z, in one batch. Parameters must
                       lie in the emulator's range (clax-pt linear --help)
  --pk FILE|DIR        linear P(k) at the redshift wanted. Repeat it, or give a folder, to run
                       several inputs as ONE batch (one computeComponents call; a progress bar
                       goes to stderr). A FILE is either
                         a text table: two columns k P (whitespace or comma separated, '#'
                         comments, one header line allowed), or
                         a JSON input: {"k": [...], "pk": [...], <scalars>, "params": {...}}, or
                         a case in the oracle format (input.k_Mpc, input.pk_lin_Mpc3 in 1/Mpc and
                         Mpc^3, scalars from derived.*, nuisance parameters from output.bias).
                       A folder contributes its tables (.txt .dat .tsv .csv .pk .tab) and .json
                       inputs, sorted by name.
  --k-units U          units of the tables' k: 1/Mpc (default) or h/Mpc
  --pk-units U         units of the tables' P: Mpc^3 (default) or (Mpc/h)^3

Per-input scalars (one value for all inputs on the command line; per input in a sidecar)
  --h X                reduced Hubble constant (required)
  --ns X               primordial tilt n_s (required: slope of the low-k extrapolation)
  --rs-drag X          sound horizon at baryon drag, Mpc (required with IR resummation)
  --f X                growth rate f at z (required for redshift space)
  --hratio X           H_true(z)/H_fid(z)       (required with AP, the default)
  --Dratio X           D_A,true(z)/D_A,fid(z)   (required with AP, the default)
  --z X                redshift (a label for the output only: the P(k) is already at z)
  Sidecar: a table dir/NAME.EXT may come with dir/NAME.json (or dir/NAME.EXT.json) holding
  its own scalars and nuisance parameters, e.g.
      {"z": 0.5, "h": 0.6736, "n_s": 0.9649, "rs_drag": 147.1, "f": 0.759,
       "hratio": 1.0036, "Dratio": 0.9983, "params": {"b1": 2.1}}
  (keys: z, h, f, n_s, rs_drag, hratio, Dratio, params). Precedence: command-line flags, then
  --params, then the input's own values (sidecar, JSON input, case), then the defaults.

Settings (shared by the whole batch)
  --ir / --no-ir       IR resummation on (default) / off
  --no-ap              no Alcock-Paczynski projection (hratio = Dratio = 1)
  --no-rsd             real space only (mm_real, gg_real, gm_real; no f needed)
  --no-bias            matter only (no bias operators)
  --n 128|256|512      FFTLog size (CLASS-PT's Fast / default / Precise), default 256
  --backend NAME       wasm (default), cpu, webgpu, or node (needs @tensorflow/tfjs-node)

Nuisance parameters (defaults: classy's README values b1=2 b2=-1 bG2=0.1 bGamma3=-0.1
cs=0 cs0=0 cs2=30 cs4=0 Pshot=3000 a0=0 a2=0 b4=10; cs* in (Mpc/h)^2, Pshot in (Mpc/h)^3)
  --b1 --b2 --bG2 --bGamma3 --cs --cs0 --cs2 --cs4 --Pshot --a0 --a2 --b4 X
  --params FILE.json   {"b1": 2, "b2": -1, ...} (also {"params": {...}}); flags win over it

Output
  --kmin X --kmax X --nk N   output k, log spaced, in h/Mpc (default 0.001, 0.5, 100; the
                       default cosmology without these flags uses its own 85 k); inside the
                       FFTLog range 5e-5 .. 100 h/Mpc and inside every input table's k range
  --k-out FILE         output k from a one-column file, h/Mpc, strictly increasing
  --spectra LIST       comma-separated, from mm_real gg_real gm_real mm_l0 mm_l2 mm_l4
                       gg_l0 gg_l2 gg_l4 gm_l0 gm_l2 gm_l4 (default: all available)
  --format F           table (default), csv (columns input,k_hMpc,<spectra>) or json
  --json               the same as --format json
  --progress / --no-progress   force / hide the progress bar (default: shown on a terminal
                       for more than one input)
  -h, --help           this help (note: --h is the Hubble constant)

Examples
  clax-pt compute
  clax-pt compute --pk pk_z0.5.dat --k-units h/Mpc --pk-units "(Mpc/h)^3" \\
      --h 0.6736 --ns 0.9649 --rs-drag 147.1 --f 0.76 --no-ap --b1 1.8 --format csv
  clax-pt compute --cosmo examples/cosmo.json --spectra gg_l0,gg_l2 --kmin 0.005 --kmax 0.3
  clax-pt compute --pk spectra/ --spectra gg_l0,gg_l2 --kmin 0.005 --kmax 0.3 --nk 60 --json

Exit status: 0 on success, 2 for bad input (one line naming the field), 1 otherwise.
`;
