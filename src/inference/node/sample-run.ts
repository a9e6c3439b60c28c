/**
 * Node-only: a sampling run from start to summary, for `clax-pt sample` and the benchmark.
 * Checks the output folder (a new run, or --resume of the same target and settings), writes
 * the run description and GetDist's names and ranges, finds the MAP first when init is 'map',
 * runs the chains (./parallel.ts) and summarises every finished chain in the folder.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { ClaxPtInputError } from '../../errors';
import { formatParamnames, formatRanges } from '../chains/getdist';
import { findMap } from '../map';
import type { SamplerSettings } from '../settings';
import { loadTarget } from '../target-loader';
import type { Target, TargetSpec } from '../target';
import type { RunSummary } from '../summary';
import { ensureDirs, paramnamesPath, rangesPath, readCheckpoint, readRunFile, summaryPath, writeFileAtomic, writeRunFile, type RunFile } from './chain-files';
import { runChains } from './parallel';
import { readOutput, summariseOutput } from './read-output';
import { columnNames, type ChainJob, type ChainOutcome, type ChainProgress, type StartHints } from './run-chain';

export interface SamplingOptions {
  spec: TargetSpec;
  settings: SamplerSettings;
  out: string;
  /** chain numbers to run (default 1..settings.chains) */
  chains?: number[];
  workers?: number;
  resume?: boolean;
  stop: Int32Array;
  onProgress?: (p: ChainProgress) => void;
  log?: (message: string) => void;
  essParameters?: string[];
}

export interface SamplingResult {
  outcomes: ChainOutcome[];
  summary: RunSummary | null;
  interrupted: boolean;
  wallSeconds: number;
}

/** settings that must match between a run and its resumption (chains and samples may change) */
const RUN_FIXED: (keyof SamplerSettings)[] = ['warmup', 'seed', 'maxTreeDepth', 'targetAccept', 'metric', 'metricEstimate', 'root', 'init', 'initRadius', 'stepSize', 'maxDeltaH', 'initBuffer', 'termBuffer', 'baseWindow'];

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** MAP-based starting hints on the unconstrained space */
export function mapStartHints(target: Target, settings: SamplerSettings, log?: (m: string) => void): StartHints {
  const map = findMap(target, { seed: settings.seed, initRadius: settings.initRadius });
  log?.(`MAP: log posterior ${map.logPosterior.toPrecision(8)} after ${map.iterations} iterations (${map.message}); metric from ${map.hessianFrom}`);
  const n = target.parameters.length;
  const metric = Array.from(map.invHessian);
  return { center: Array.from(map.u), scale: Array.from({ length: n }, (_, i) => Math.sqrt(metric[i * n + i])), metric };
}

export async function runSampling(opts: SamplingOptions): Promise<SamplingResult> {
  const { spec, settings, out } = opts;
  const chains = opts.chains ?? Array.from({ length: settings.chains }, (_, i) => i + 1);
  const t0 = performance.now();
  if (existsSync(out) && !statSync(out).isDirectory()) throw new ClaxPtInputError('--out', `${out} is a file, not a folder`);
  mkdirSync(out, { recursive: true });
  const previous = readRunFile(out);
  if (previous) {
    if (!opts.resume) {
      const busy = chains.filter((i) => readCheckpoint(out, settings.root, i) !== null);
      if (busy.length) throw new ClaxPtInputError('--out', `${out} already holds chain${busy.length > 1 ? 's' : ''} ${busy.join(', ')} of a run (use --resume to continue, or another folder)`);
    }
    if (!sameJson(previous.spec, spec)) throw new ClaxPtInputError('--config', `the target differs from the one of the run in ${out} (use another folder)`);
    for (const k of RUN_FIXED) {
      // runs made before metricEstimate existed used Stan's estimate
      const used = k === 'metricEstimate' ? (previous.settings[k] ?? 'covariance') : previous.settings[k];
      if (!sameJson(used, settings[k])) throw new ClaxPtInputError(`sampler.${k}`, `is ${JSON.stringify(settings[k])} but the run in ${out} used ${JSON.stringify(used)} (use another folder to change it)`);
    }
  }

  const target = await loadTarget(spec);
  try {
    const columns = columnNames(target);
    let start = previous?.start;
    if (settings.init === 'map' && !start) start = mapStartHints(target, settings, opts.log);
    const runFile: RunFile = { spec, settings, columns, ...(start ? { start } : {}) };
    if (previous && !sameJson(previous.columns, columns)) throw new ClaxPtInputError('--config', `the target's parameters differ from those of the run in ${out}`);
    ensureDirs(out, settings.saveWarmup);
    writeRunFile(out, runFile);
    writeFileAtomic(paramnamesPath(out, settings.root), formatParamnames(columns));
    writeFileAtomic(rangesPath(out, settings.root), formatRanges(target.parameters));

    const jobs: ChainJob[] = chains.map((chain) => ({ settings, chain, out, resume: opts.resume ?? false, ...(start ? { start } : {}) }));
    const outcomes = await runChains({ spec, jobs, workers: opts.workers, stop: opts.stop, onProgress: opts.onProgress, log: opts.log, target });
    const interrupted = Atomics.load(opts.stop, 0) !== 0 || outcomes.some((o) => !o.complete);
    const wallSeconds = (performance.now() - t0) / 1000;
    const output = readOutput(out);
    // the command's wall time stands for the run when it made every finished chain in one go
    const allOurs = !opts.resume && output.chains.filter((c) => c.complete).every((c) => chains.includes(c.chain));
    const summary = summariseOutput(output, { wallSeconds: allOurs ? wallSeconds : undefined, essParameters: opts.essParameters });
    if (summary) writeFileAtomic(summaryPath(out), JSON.stringify(summary, null, 1));
    return { outcomes, summary, interrupted, wallSeconds };
  } finally {
    target.dispose?.();
  }
}
