/**
 * Loader for the CLASS-PT oracle cases in the repository's oracle-data/ folder (one gzipped
 * JSON per case, see ../shared/oracle/README.md for the layout).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

export const ORACLE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'oracle-data');

/** Case ids (file names without .json.gz), sorted. */
export function listCases(): string[] {
  return readdirSync(ORACLE_DIR)
    .filter((f) => f.endsWith('.json.gz'))
    .map((f) => f.slice(0, -'.json.gz'.length))
    .sort();
}

/** One parsed case. The layout is CLASS-PT's; only the fields the tests read are typed. */
export interface OracleCase {
  id: string;
  settings: Record<string, string | undefined>;
  derived: Record<string, number>;
  input: { k_Mpc: number[]; pk_lin_Mpc3: number[] };
  fftlog: {
    Nmax: number;
    kmin_Mpc: number;
    kmax_Mpc: number;
    k_Mpc: number[];
    pk_disc_Mpc3: number[];
    pk_nw_Mpc3: number[];
    pk_w_Mpc3: number[];
    pk_bin_Mpc3: number[];
    pk_tree_Mpc3: number[];
  };
  [key: string]: unknown;
}

export function loadCase(id: string): OracleCase {
  const text = gunzipSync(readFileSync(join(ORACLE_DIR, `${id}.json.gz`))).toString('utf8');
  return JSON.parse(text) as OracleCase;
}

/** FFTLog size from CLASS-PT's "FFTLog mode" setting: contains "F" -> 128, "P" -> 512, else 256. */
export function fftlogSizeOf(c: OracleCase): number {
  const mode = c.settings['FFTLog mode'];
  if (mode === undefined) return 256;
  if (mode.includes('F')) return 128;
  if (mode.includes('P')) return 512;
  return 256;
}

/** The extra cases (oracle-data/extra/, see its README): z in [2, 3], and output k up to 100 h/Mpc. */
export const EXTRA_DIR = join(ORACLE_DIR, 'extra');

export function listExtraCases(): string[] {
  return readdirSync(EXTRA_DIR)
    .filter((f) => f.endsWith('.json.gz'))
    .map((f) => f.slice(0, -'.json.gz'.length))
    .sort();
}

export function loadExtraCase(id: string): OracleCase {
  return JSON.parse(gunzipSync(readFileSync(join(EXTRA_DIR, `${id}.json.gz`))).toString('utf8')) as OracleCase;
}

/**
 * Rows that are pure Alcock-Paczynski effects (l = 2, 4 projections of isotropic terms) and the
 * monopole each projects; see oracle-components.test.ts for how they are compared.
 */
export const PURE_AP_ROWS: Record<string, string> = {
  Id2d2_2: 'Id2d2', Id2d2_4: 'Id2d2', Id2G2_2: 'Id2G2', Id2G2_4: 'Id2G2',
  IG2G2_2: 'IG2G2', IG2G2_4: 'IG2G2', '4_b1b2': '0_b1b2', '4_b1bG2': '0_b1bG2',
};

const REAL_MATTER = ['loop', 'tree', 'ctr'];
const BIAS_OPERATORS = ['Id2d2', 'Id2', 'IG2', 'Id2G2', 'IG2G2', 'IFG2'];

export type RowFamily = 'real matter' | 'bias operators' | 'matter multipoles' | 'bias multipoles' | 'pure AP' | 'fNL';

/** The family of a get_pk_mult row (the bounds table has one bound per family). */
export function rowFamily(name: string): RowFamily {
  if (name.startsWith('fNL')) return 'fNL';
  if (name in PURE_AP_ROWS) return 'pure AP';
  if (REAL_MATTER.includes(name)) return 'real matter';
  if (BIAS_OPERATORS.includes(name)) return 'bias operators';
  if (/^(loop|tree|ctr)_/.test(name)) return 'matter multipoles';
  return 'bias multipoles';
}

/**
 * CLASS-PT's storage resolution of a row times 1e5: it stores ln(P + offset) (offset 5e4 for
 * `loop`, 100 for Id2, IG2, IFG2, 1e6 for the other Gaussian rows with offsets; none for tree,
 * ctr, ctr_*: their logarithm of the raw value is relative), so one rounding of the logarithm
 * moves P by offset ln(offset) 2^-52. Far above every row in k <= 1 h/Mpc; where the UV cutoff
 * e^{-(k/3h)^6} has taken a row below it (k >~ 5 h/Mpc), CLASS-PT's values are that rounding.
 */
export function storageFloor(name: string): number {
  const offset = name === 'loop' ? 5e4 : ['Id2', 'IG2', 'IFG2'].includes(name) ? 100 : ['tree', 'ctr', 'ctr_0', 'ctr_2', 'ctr_4'].includes(name) ? 0 : 1e6;
  return offset === 0 ? 0 : 1e5 * offset * Math.log(offset) * 2 ** -52;
}
