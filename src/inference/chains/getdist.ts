/**
 * GetDist's plain-text chain format (what GetDist, Cobaya, Montepython, ChainConsumer and
 * ArviZ's readers take), as text in and out (the files themselves are written by ../node/):
 *
 * - `<root>_<i>.txt`, i = 1, 2, ...: one sample per line, columns weight, -ln(posterior),
 *   then the parameters, then the derived parameters; `#` lines are comments (a header naming
 *   the columns, as Cobaya writes).
 * - `<root>.paramnames`: one `name<TAB>latex` line per column after the first two, derived ones
 *   with a trailing `*` on the name (GetDist's convention), LaTeX without $.
 * - `<root>.ranges`: `name lower upper`, `N` for an open side.
 */
import { ClaxPtInputError } from '../../errors';

export interface ParamName {
  name: string;
  latex?: string;
  derived?: boolean;
}

export interface ParamRange {
  name: string;
  lower?: number;
  upper?: number;
}

export interface ChainTable {
  weights: number[];
  minusLogPost: number[];
  /** rows: one per sample, the parameter columns (sampled then derived) */
  rows: number[][];
}

export function formatParamnames(names: ParamName[]): string {
  return names.map((p) => `${p.name}${p.derived ? '*' : ''}\t${p.latex ?? p.name}\n`).join('');
}

export function parseParamnames(text: string, field = 'paramnames'): ParamName[] {
  const out: ParamName[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const m = /^(\S+)\s*(.*)$/.exec(t);
    if (!m) throw new ClaxPtInputError(`${field} line ${i + 1}`, `cannot read '${line}'`);
    const derived = m[1].endsWith('*');
    const name = derived ? m[1].slice(0, -1) : m[1];
    out.push({ name, latex: m[2] || undefined, derived });
  });
  return out;
}

export function formatRanges(ranges: ParamRange[]): string {
  const side = (v: number | undefined) => (v === undefined ? 'N' : String(v));
  return ranges.map((r) => `${r.name} ${side(r.lower)} ${side(r.upper)}\n`).join('');
}

export function parseRanges(text: string): ParamRange[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [name, lo, hi] = l.split(/\s+/);
      const side = (v: string | undefined) => (v === undefined || v === 'N' ? undefined : Number(v));
      return { name, lower: side(lo), upper: side(hi) };
    });
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v.toExponential(12);
}

/** the comment line naming the columns */
export function chainHeader(names: ParamName[]): string {
  return `# weight minuslogpost ${names.map((p) => `${p.name}${p.derived ? '*' : ''}`).join(' ')}\n`;
}

/** one sample as a line: weight, -ln posterior, values */
export function formatChainLine(weight: number, minusLogPost: number, values: ArrayLike<number>): string {
  let s = `${weight} ${num(minusLogPost)}`;
  for (let i = 0; i < values.length; i++) s += ` ${num(values[i])}`;
  return s + '\n';
}

function parseNum(t: string): number {
  const l = t.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  return Number(t);
}

/** a chain file's text; `columns` (if given) is the expected number of parameter columns */
export function parseChain(text: string, columns?: number, field = 'chain'): ChainTable {
  const table: ChainTable = { weights: [], minusLogPost: [], rows: [] };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const parts = t.split(/\s+/).map(parseNum);
    if (parts.length < 2 || parts.some((v, j) => Number.isNaN(v) && !/^nan$/i.test(t.split(/\s+/)[j]))) {
      throw new ClaxPtInputError(`${field} line ${i + 1}`, `not a line of numbers: '${t.slice(0, 80)}'`);
    }
    if (columns !== undefined && parts.length !== columns + 2) {
      throw new ClaxPtInputError(`${field} line ${i + 1}`, `has ${parts.length} columns, expected ${columns + 2} (weight, -ln posterior and ${columns} parameters)`);
    }
    table.weights.push(parts[0]);
    table.minusLogPost.push(parts[1]);
    table.rows.push(parts.slice(2));
  });
  return table;
}
