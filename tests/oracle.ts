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
