/**
 * Inputs of `clax-pt compute`: linear P(k) tables (text, two columns), JSON inputs (a P(k) with
 * its scalars in one file, or a case in the oracle format), JSON sidecars carrying per-input
 * scalars and nuisance parameters, folders of inputs, nuisance-parameter files and output-k
 * files. Everything is read and checked here, before any computation; every problem is a
 * ClaxPtInputError naming the file, line or key.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ClaxPtInputError } from '../errors';

/** Where a value came from, for messages: e.g. "--h", "h (pk_z05.json)", "derived.h (case.json)". */
export interface Sourced<T = unknown> {
  value: T;
  field: string;
}

/** The per-input scalars `compute` knows, by CLI name. */
export const SCALAR_KEYS = ['z', 'h', 'f', 'ns', 'rs-drag', 'hratio', 'Dratio'] as const;
export type ScalarKey = (typeof SCALAR_KEYS)[number];

/** JSON key spellings accepted for each scalar (sidecars, JSON inputs, the oracle's `derived`). */
export const SCALAR_JSON_KEYS: Record<ScalarKey, readonly string[]> = {
  z: ['z'],
  h: ['h'],
  f: ['f'],
  ns: ['n_s', 'ns'],
  'rs-drag': ['rs_drag', 'rs_drag_Mpc', 'rs-drag'],
  hratio: ['hratio'],
  Dratio: ['Dratio'],
};

export interface RawInput {
  /** the file (or "default") */
  label: string;
  /** k and P as read; `fixedUnits` inputs are in 1/Mpc and Mpc^3, others in the --k-units/--pk-units */
  k: number[];
  p: number[];
  fixedUnits: boolean;
  /** field names of k[i] and p[i] for messages */
  kField: (i: number) => string;
  pField: (i: number) => string;
  /** the whole k array, for messages about its range */
  kArrayField: string;
  scalars: Partial<Record<ScalarKey, Sourced>>;
  bias: Record<string, Sourced>;
  /** output k of a case / the default cosmology (1/Mpc), used when no output k is asked for */
  kOutMpc?: Sourced<unknown[]>;
}

const TABLE_EXTS = ['.txt', '.dat', '.tsv', '.csv', '.pk', '.tab'];

function isJsonPath(path: string): boolean {
  return path.endsWith('.json') || path.endsWith('.json.gz');
}

function readText(path: string, field: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ClaxPtInputError(field, code === 'ENOENT' ? `no such file '${path}'` : `cannot read '${path}' (${code ?? (e as Error).message})`);
  }
  if (path.endsWith('.gz')) {
    try {
      return gunzipSync(buf).toString('utf8');
    } catch (e) {
      throw new ClaxPtInputError(field, `'${path}' is not valid gzip: ${(e as Error).message}`);
    }
  }
  return buf.toString('utf8');
}

/** A JSON object from a file. */
export function readJsonObject(path: string, field: string): Record<string, unknown> {
  const text = readText(path, field);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ClaxPtInputError(field, `'${path}' is not valid JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ClaxPtInputError(field, `'${path}' does not hold a JSON object`);
  return v as Record<string, unknown>;
}

/** One numeric token of a table ('nan', 'inf' are read as such, to be refused with a clear message). */
function tableNumber(tok: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(tok)) return tok.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(tok)) return NaN;
  const v = Number(tok);
  return tok === '' || Number.isNaN(v) ? undefined : v;
}

export interface Table {
  columns: number[][];
  lines: number[];
}

/**
 * A whitespace- or comma-separated numeric table: '#' and '%' start comments, blank lines are
 * skipped, one non-numeric header line before the data is allowed. Each row must have `ncol` columns.
 */
export function readTable(path: string, field: string, ncol: number, what: string): Table {
  const text = readText(path, field);
  const columns: number[][] = Array.from({ length: ncol }, () => []);
  const lines: number[] = [];
  let headerSeen = false;
  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = raw.replace(/[#%].*$/, '').trim();
    if (line === '') return;
    const toks = line.split(/[\s,;]+/).filter((t) => t !== '');
    const nums = toks.map(tableNumber);
    if (nums.some((v) => v === undefined)) {
      if (lines.length === 0 && !headerSeen) {
        headerSeen = true; // a column header such as "k P"
        return;
      }
      const bad = toks[nums.findIndex((v) => v === undefined)];
      throw new ClaxPtInputError(`${basename(path)} line ${idx + 1}`, `'${bad}' is not a number (expected ${what})`);
    }
    if (toks.length !== ncol) {
      throw new ClaxPtInputError(`${basename(path)} line ${idx + 1}`, `expected ${ncol} column${ncol > 1 ? 's' : ''} (${what}), found ${toks.length}`);
    }
    nums.forEach((v, c) => columns[c].push(v as number));
    lines.push(idx + 1);
  });
  if (lines.length === 0) throw new ClaxPtInputError(field, `'${path}' holds no data rows (expected ${what})`);
  return { columns, lines };
}

/** Per-input scalars and nuisance parameters from a JSON object (a sidecar or a JSON input). */
function scalarsFromObject(obj: Record<string, unknown>, file: string, allowExtra: readonly string[]): Pick<RawInput, 'scalars' | 'bias'> {
  const scalars: RawInput['scalars'] = {};
  const bias: RawInput['bias'] = {};
  const known = new Set<string>(allowExtra);
  for (const key of SCALAR_KEYS) {
    for (const j of SCALAR_JSON_KEYS[key]) {
      known.add(j);
      if (obj[j] !== undefined) scalars[key] = { value: obj[j], field: `${j} (${file})` };
    }
  }
  for (const group of ['params', 'bias']) {
    known.add(group);
    const g = obj[group];
    if (g === undefined) continue;
    if (g === null || typeof g !== 'object' || Array.isArray(g)) throw new ClaxPtInputError(`${group} (${file})`, 'expected an object of nuisance parameters');
    for (const [name, value] of Object.entries(g)) bias[name] = { value, field: `${group}.${name} (${file})` };
  }
  for (const key of Object.keys(obj)) {
    if (!known.has(key)) {
      throw new ClaxPtInputError(`${key} (${file})`, `unknown key (expected ${[...SCALAR_KEYS.flatMap((k) => SCALAR_JSON_KEYS[k]), 'params', ...allowExtra].join(', ')})`);
    }
  }
  return { scalars, bias };
}

/** The sidecar of a table `dir/name.ext`: `dir/name.json`, else `dir/name.ext.json`. */
export function sidecarOf(path: string): string | undefined {
  const stem = join(dirname(path), basename(path, extname(path)));
  for (const cand of [`${stem}.json`, `${path}.json`]) if (cand !== path && existsSync(cand)) return cand;
  return undefined;
}

function arrayOf(obj: Record<string, unknown>, key: string, file: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) throw new ClaxPtInputError(`${key} (${file})`, v === undefined ? 'missing' : 'expected an array of numbers');
  return v;
}

function numbersOf(arr: unknown[], field: (i: number) => string): number[] {
  return arr.map((v, i) => {
    if (typeof v !== 'number') {
      // JSON has no NaN/Infinity: null is what JSON.stringify makes of them
      throw new ClaxPtInputError(field(i), v === null ? 'is null (NaN or infinite when it was written?)' : `expected a number, got ${JSON.stringify(v)}`);
    }
    return v;
  });
}

/** A case in the oracle format (input.k_Mpc, input.pk_lin_Mpc3, derived.*, output.bias, output.k_Mpc). */
export function caseAsInput(obj: Record<string, unknown>, label: string): RawInput {
  const file = basename(label);
  const input = (obj.input ?? {}) as Record<string, unknown>;
  const derived = (obj.derived ?? {}) as Record<string, unknown>;
  const output = (obj.output ?? {}) as Record<string, unknown>;
  const kName = `input.k_Mpc`;
  const pName = `input.pk_lin_Mpc3`;
  const k = numbersOf(arrayOf(input, 'k_Mpc', `${file}: input`), (i) => `${kName}[${i}] (${file})`);
  const p = numbersOf(arrayOf(input, 'pk_lin_Mpc3', `${file}: input`), (i) => `${pName}[${i}] (${file})`);
  const scalars: RawInput['scalars'] = {};
  for (const key of SCALAR_KEYS) {
    for (const j of SCALAR_JSON_KEYS[key]) {
      if (derived[j] !== undefined) scalars[key] = { value: derived[j], field: `derived.${j} (${file})` };
    }
  }
  const bias: RawInput['bias'] = {};
  const b = output.bias;
  if (b !== undefined) {
    if (b === null || typeof b !== 'object') throw new ClaxPtInputError(`output.bias (${file})`, 'expected an object of nuisance parameters');
    for (const [name, value] of Object.entries(b)) bias[name] = { value, field: `output.bias.${name} (${file})` };
  }
  return {
    label,
    k,
    p,
    fixedUnits: true,
    kField: (i) => `${kName}[${i}] (${file})`,
    pField: (i) => `${pName}[${i}] (${file})`,
    kArrayField: `${kName} (${file})`,
    scalars,
    bias,
    kOutMpc: Array.isArray(output.k_Mpc) ? { value: output.k_Mpc, field: `output.k_Mpc (${file})` } : undefined,
  };
}

/** One input file: a text table (with its optional sidecar) or a JSON input. */
export function readInputFile(path: string): RawInput {
  const field = `--pk ${path}`;
  const file = basename(path);
  if (isJsonPath(path)) {
    const obj = readJsonObject(path, field);
    if (obj.input !== undefined && typeof obj.input === 'object') return caseAsInput(obj, path);
    const k = numbersOf(arrayOf(obj, 'k', file), (i) => `k[${i}] (${file})`);
    const p = numbersOf(arrayOf(obj, 'pk', file), (i) => `pk[${i}] (${file})`);
    const { scalars, bias } = scalarsFromObject(obj, file, ['k', 'pk']);
    return {
      label: path,
      k,
      p,
      fixedUnits: false,
      kField: (i) => `k[${i}] (${file})`,
      pField: (i) => `pk[${i}] (${file})`,
      kArrayField: `k (${file})`,
      scalars,
      bias,
    };
  }
  const table = readTable(path, field, 2, 'k P');
  const side = sidecarOf(path);
  const extra = side ? scalarsFromObject(readJsonObject(side, `sidecar ${side}`), basename(side), []) : { scalars: {}, bias: {} };
  return {
    label: path,
    k: table.columns[0],
    p: table.columns[1],
    fixedUnits: false,
    kField: (i) => `k (${file} line ${table.lines[i]})`,
    pField: (i) => `P (${file} line ${table.lines[i]})`,
    kArrayField: `k (${file})`,
    ...extra,
  };
}

/**
 * The input files of `--pk` values: files as given, folders expanded to their tables
 * (.txt .dat .tsv .csv .pk .tab) and JSON inputs that are not the sidecar of a table, sorted.
 */
export function expandInputPaths(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    let st;
    try {
      st = statSync(v);
    } catch {
      throw new ClaxPtInputError(`--pk ${v}`, 'no such file or folder');
    }
    if (!st.isDirectory()) {
      out.push(v);
      continue;
    }
    const names = readdirSync(v).sort();
    const tables = names.filter((n) => TABLE_EXTS.includes(extname(n).toLowerCase()));
    const sidecars = new Set(tables.flatMap((t) => [`${basename(t, extname(t))}.json`, `${t}.json`]));
    const jsons = names.filter((n) => isJsonPath(n) && !sidecars.has(n));
    const files = [...tables, ...jsons].sort().map((n) => join(v, n));
    if (files.length === 0) {
      throw new ClaxPtInputError(`--pk ${v}`, `the folder holds no P(k) inputs (tables ${TABLE_EXTS.join(' ')}, or .json)`);
    }
    out.push(...files);
  }
  return out;
}

/** Nuisance parameters from `--params FILE.json`: a flat object, or one with a `params`/`bias` object. */
export function readParamsFile(path: string): Record<string, Sourced> {
  const field = `--params ${path}`;
  const obj = readJsonObject(path, field);
  const file = basename(path);
  const inner = (obj.params ?? obj.bias ?? obj) as Record<string, unknown>;
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) throw new ClaxPtInputError(field, 'expected an object of nuisance parameters');
  const out: Record<string, Sourced> = {};
  for (const [name, value] of Object.entries(inner)) out[name] = { value, field: `${name} (${file})` };
  return out;
}

/** Output wavenumbers from `--k-out FILE`: one column, h/Mpc. */
export function readKOutFile(path: string): { k: number[]; field: (i: number) => string } {
  const table = readTable(path, `--k-out ${path}`, 1, 'k in h/Mpc');
  const file = basename(path);
  return { k: table.columns[0], field: (i) => `--k-out (${file} line ${table.lines[i]})` };
}
