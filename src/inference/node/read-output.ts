/**
 * Node-only: reads a run's output folder back (any mix of chains written by one command, by
 * several `--chain I` processes or by resumed sessions) and computes its summary: the merge
 * step of independent chains is just this.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ClaxPtInputError } from '../../errors';
import { parseChain, parseParamnames, parseRanges, type ParamName, type ParamRange } from '../chains/getdist';
import { summariseParameter, type ChainStats, type RunSummary } from '../summary';
import { chainPath, paramnamesPath, rangesPath, readCheckpoint, readRunFile, statsPath, type RunFile } from './chain-files';

export interface OutputChain {
  chain: number;
  complete: boolean;
  /** rows of parameter columns (sampled then derived) */
  rows: number[][];
  minusLogPost: number[];
  stats: number[][];
  wallSeconds: number;
}

export interface RunOutput {
  run: RunFile;
  names: ParamName[];
  /** prior bounds of the sampled parameters (<root>.ranges) */
  ranges: ParamRange[];
  chains: OutputChain[];
}

/** the chain numbers present in `out` for `root` */
export function chainNumbers(out: string, root: string): number[] {
  if (!existsSync(out)) return [];
  const re = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}_(\\d+)\\.txt$`);
  return readdirSync(out)
    .map((f) => re.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function readOutput(out: string): RunOutput {
  const run = readRunFile(out);
  if (!run) throw new ClaxPtInputError('--out', `${out} holds no sampler run (no sampler/run.json)`);
  const root = run.settings.root;
  const pn = paramnamesPath(out, root);
  const names = existsSync(pn) ? parseParamnames(readFileSync(pn, 'utf8'), pn) : run.columns;
  const rp = rangesPath(out, root);
  const ranges = existsSync(rp) ? parseRanges(readFileSync(rp, 'utf8')) : [];
  const chains: OutputChain[] = chainNumbers(out, root).map((i) => {
    const path = chainPath(out, root, i);
    const cp = readCheckpoint(out, root, i);
    // only what the checkpoint vouches for: a line appended after it is not (yet) part of the chain
    const text = readFileSync(path).subarray(0, cp ? cp.bytes.chain : undefined).toString('utf8');
    const table = parseChain(text, names.length, path);
    const sp = statsPath(out, root, i);
    const stats = existsSync(sp)
      ? readFileSync(sp)
          .subarray(0, cp ? cp.bytes.stats : undefined)
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('#'))
          .map((l) => l.trim().split(/\s+/).map(Number))
      : [];
    return { chain: i, complete: cp?.complete ?? false, rows: table.rows, minusLogPost: table.minusLogPost, stats, wallSeconds: cp?.wallSeconds ?? NaN };
  });
  return { run, names, ranges, chains };
}

export interface SummaryOptions {
  /** the command's wall time; default: the slowest chain's */
  wallSeconds?: number;
  /** parameters whose min bulk ESS is reported (default: every sampled parameter) */
  essParameters?: string[];
  /** include chains that have not finished (default: only complete ones, or all when none is) */
  includeIncomplete?: boolean;
}

/** the summary of the chains in `out` (null when there is none with at least 4 draws) */
export function summariseOutput(output: RunOutput, opts: SummaryOptions = {}): RunSummary | null {
  const { run, names } = output;
  let chains = output.chains.filter((c) => opts.includeIncomplete || c.complete);
  if (chains.length === 0) chains = output.chains;
  chains = chains.filter((c) => c.rows.length >= 4);
  if (chains.length === 0) return null;
  const n = Math.min(...chains.map((c) => c.rows.length));
  const parameters = names.map((p, j) =>
    summariseParameter(
      p.name,
      chains.map((c) => Float64Array.from({ length: n }, (_, i) => c.rows[i][j])),
      p.derived ?? false,
    ),
  );
  const maxDepth = run.settings.maxTreeDepth;
  const sampler: ChainStats[] = chains.map((c) => {
    const s = c.stats.slice(0, n);
    const col = (k: number) => s.map((r) => r[k]);
    const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
    return {
      chain: c.chain,
      draws: n,
      divergences: col(5).filter((v) => v === 1).length,
      max_treedepth_hits: col(3).filter((v) => v >= maxDepth).length,
      mean_treedepth: mean(col(3)),
      mean_accept_stat: mean(col(1)),
      step_size: s.length ? s[0][2] : NaN,
      leapfrogs: col(4).reduce((x, y) => x + y, 0),
      wall_s: c.wallSeconds,
    };
  });
  const wall = opts.wallSeconds ?? Math.max(...chains.map((c) => c.wallSeconds));
  const essNames = new Set(opts.essParameters ?? names.filter((p) => !p.derived).map((p) => p.name));
  for (const e of essNames) if (!names.some((p) => p.name === e)) throw new ClaxPtInputError('essParameters', `unknown parameter '${e}'`);
  const essMin = Math.min(...parameters.filter((p) => essNames.has(p.name)).map((p) => p.ess_bulk));
  return {
    root: run.settings.root,
    chains: chains.length,
    draws_per_chain: n,
    parameters,
    sampler,
    divergences: sampler.reduce((a, c) => a + c.divergences, 0),
    wall_s: wall,
    wall_s_from: opts.wallSeconds !== undefined ? 'command' : 'slowest chain',
    ess_bulk_min: essMin,
    ess_per_hour_min: essMin / (wall / 3600),
    rhat_max: Math.max(...parameters.filter((p) => !p.derived).map((p) => p.rhat)),
  };
}
