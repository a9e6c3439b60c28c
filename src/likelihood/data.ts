/**
 * Survey data for a power-spectrum likelihood: measured multipoles P_0, P_2, P_4 at k-bin centres
 * (h/Mpc, (Mpc/h)^3) and their covariance, the scale cuts, and the data vector and covariance
 * that remain after them. Text in, checked float64 arrays out; every problem is a
 * ClaxPtInputError naming the sample and the field. No file access here (see ./node-files.ts).
 *
 * File layout (the BOSS DR12 files of the full_shape_likelihoods repository):
 * - multipoles: rows "k P0 P2 P4" (whitespace separated; lines starting with # are comments),
 *   k the bin centres in h/Mpc, increasing with a constant bin width;
 * - covariance: a square matrix over (P0 at every bin, then P2, then P4), i.e. 3 n_k rows, or
 *   larger with those first (the upstream files continue with Q0, B0, AP: only the leading
 *   3 n_k block is read). Symmetric and positive definite over the kept entries.
 */
import { ClaxPtInputError } from '../errors';
import { asymmetry, cholesky, logDetFromCholesky } from '../numerics/dense';

export const MULTIPOLES = [0, 2, 4] as const;
export type Multipole = (typeof MULTIPOLES)[number];

/** One sample as a configuration describes it. */
export interface SampleSpec {
  /** e.g. 'ngc_z1' (parameter names become 'ngc_z1.b1') */
  name: string;
  /** effective redshift */
  z: number;
  /** 1/nbar in (Mpc/h)^3: the scale of the shot-noise priors */
  nbarInv: number;
  /** scale cuts: the bins with kmin <= k_centre < kmax (h/Mpc) */
  kmin: number;
  kmax: number;
  /** multipoles used, a subset of 0, 2, 4 */
  ells: Multipole[];
}

/** A parsed multipole table: every bin of the file. */
export interface MultipoleTable {
  k: Float64Array;
  pl: Record<Multipole, Float64Array>;
}

/** The data of one sample after the cuts. */
export interface SampleData {
  spec: SampleSpec;
  /** kept bin centres and edges, h/Mpc */
  kCentres: Float64Array;
  kLow: Float64Array;
  kHigh: Float64Array;
  /** data vector: for each ell of spec.ells (in that order) the kept bins */
  data: Float64Array;
  /** covariance of the data vector, n x n row-major, its Cholesky factor and ln det */
  covariance: Float64Array;
  cholesky: Float64Array;
  logDet: number;
}

/** Parses whitespace-separated numeric rows (comments with #); `columns` per row if given. */
export function parseNumberRows(text: string, field: string, columns?: number): number[][] {
  if (typeof text !== 'string') throw new ClaxPtInputError(field, 'expected the text of a file');
  const rows: number[][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const parts = t.split(/[\s,]+/);
    const values = parts.map(Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new ClaxPtInputError(field, `line ${i + 1}: '${parts[bad]}' is not a finite number`);
    if (columns !== undefined && values.length !== columns) {
      throw new ClaxPtInputError(field, `line ${i + 1}: expected ${columns} columns (k P0 P2 P4), got ${values.length}`);
    }
    rows.push(values);
  });
  if (rows.length === 0) throw new ClaxPtInputError(field, 'contains no numbers');
  return rows;
}

/** A multipole file: rows k P0 P2 P4 with k strictly increasing and positive. */
export function parseMultipoleTable(text: string, field: string): MultipoleTable {
  const rows = parseNumberRows(text, field, 4);
  if (rows.length < 2) throw new ClaxPtInputError(field, `needs at least 2 k bins, got ${rows.length}`);
  const k = Float64Array.from(rows, (r) => r[0]);
  for (let i = 0; i < k.length; i++) {
    if (!(k[i] > 0)) throw new ClaxPtInputError(`${field} (row ${i + 1})`, `k must be positive, got ${k[i]}`);
    if (i > 0 && !(k[i] > k[i - 1])) throw new ClaxPtInputError(`${field} (row ${i + 1})`, `k must increase strictly, got ${k[i]} after ${k[i - 1]}`);
  }
  return { k, pl: { 0: Float64Array.from(rows, (r) => r[1]), 2: Float64Array.from(rows, (r) => r[2]), 4: Float64Array.from(rows, (r) => r[3]) } };
}

/** A square covariance matrix (row-major). */
export function parseCovariance(text: string, field: string): { n: number; values: Float64Array } {
  const rows = parseNumberRows(text, field);
  const n = rows.length;
  rows.forEach((r, i) => {
    if (r.length !== n) throw new ClaxPtInputError(field, `row ${i + 1} has ${r.length} entries; a square ${n} x ${n} matrix was expected`);
  });
  const values = new Float64Array(n * n);
  rows.forEach((r, i) => values.set(r, i * n));
  return { n, values };
}

/** Checks a sample specification (names the offending field). */
export function checkSampleSpec(spec: SampleSpec, where: string): SampleSpec {
  if (!spec || typeof spec !== 'object') throw new ClaxPtInputError(where, 'expected an object');
  if (typeof spec.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec.name)) {
    throw new ClaxPtInputError(`${where}.name`, `must be an identifier (letters, digits, _), got ${JSON.stringify(spec.name)}`);
  }
  const num = (key: keyof SampleSpec, positive: boolean) => {
    const v = spec[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || (positive ? v <= 0 : v < 0)) {
      throw new ClaxPtInputError(`${where}.${key}`, `must be a ${positive ? 'positive' : 'non-negative'} finite number, got ${JSON.stringify(v)}`);
    }
  };
  num('z', false);
  num('nbarInv', true);
  num('kmin', false);
  num('kmax', true);
  if (!(spec.kmax > spec.kmin)) throw new ClaxPtInputError(`${where}.kmax`, `must exceed kmin (${spec.kmin}), got ${spec.kmax}`);
  if (!Array.isArray(spec.ells) || spec.ells.length === 0 || spec.ells.some((l) => !(MULTIPOLES as readonly number[]).includes(l))) {
    throw new ClaxPtInputError(`${where}.ells`, `must be a non-empty list of 0, 2, 4, got ${JSON.stringify(spec.ells)}`);
  }
  if (new Set(spec.ells).size !== spec.ells.length) throw new ClaxPtInputError(`${where}.ells`, `lists a multipole twice: ${JSON.stringify(spec.ells)}`);
  return spec;
}

/**
 * Applies the cuts: the kept bins (kmin <= k < kmax), their edges (centre -/+ half the constant
 * bin width), the data vector and the covariance restricted to it, checked symmetric and
 * positive definite.
 */
export function prepareSample(spec: SampleSpec, table: MultipoleTable, cov: { n: number; values: Float64Array }, fields: { pk: string; cov: string }): SampleData {
  const nk = table.k.length;
  const width = table.k[1] - table.k[0];
  for (let i = 1; i < nk; i++) {
    const w = table.k[i] - table.k[i - 1];
    if (Math.abs(w - width) > 1e-6 * width) {
      throw new ClaxPtInputError(fields.pk, `the k bins must have one width (bin centres ${table.k[i - 1]}, ${table.k[i]} are ${w} apart, the first two ${width})`);
    }
  }
  if (cov.n < 3 * nk) {
    throw new ClaxPtInputError(fields.cov, `is ${cov.n} x ${cov.n}, but ${fields.pk} has ${nk} k bins: the covariance of P0, P2, P4 needs ${3 * nk} rows`);
  }
  const kept: number[] = [];
  for (let i = 0; i < nk; i++) if (table.k[i] >= spec.kmin && table.k[i] < spec.kmax) kept.push(i);
  if (kept.length === 0) throw new ClaxPtInputError(`samples.${spec.name}.kmin`, `no k bin of ${fields.pk} lies in [${spec.kmin}, ${spec.kmax})`);
  const index: number[] = [];
  const data: number[] = [];
  for (const l of spec.ells) {
    for (const i of kept) {
      index.push((l / 2) * nk + i);
      data.push(table.pl[l][i]);
    }
  }
  const n = index.length;
  const c = new Float64Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) c[a * n + b] = cov.values[index[a] * cov.n + index[b]];
  for (let a = 0; a < n; a++) {
    if (!(c[a * n + a] > 0)) throw new ClaxPtInputError(fields.cov, `is not positive definite: diagonal entry ${index[a] + 1} is ${c[a * n + a]}`);
  }
  const asym = asymmetry(c, n);
  if (asym.value > 1e-8) {
    throw new ClaxPtInputError(fields.cov, `is not symmetric: entries (${index[asym.i] + 1}, ${index[asym.j] + 1}) and (${index[asym.j] + 1}, ${index[asym.i] + 1}) differ by ${asym.value.toExponential(2)} relative`);
  }
  // exact symmetry for the algebra that follows
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) c[b * n + a] = c[a * n + b];
  const l = cholesky(c, n);
  if (!l) throw new ClaxPtInputError(fields.cov, `is not positive definite over the kept ${n} entries (${spec.ells.map((x) => `P${x}`).join(', ')}, ${kept.length} bins)`);
  const kCentres = Float64Array.from(kept, (i) => table.k[i]);
  return {
    spec,
    kCentres,
    kLow: kCentres.map((k) => k - width / 2),
    kHigh: kCentres.map((k) => k + width / 2),
    data: Float64Array.from(data),
    covariance: c,
    cholesky: l,
    logDet: logDetFromCholesky(l, n),
  };
}
