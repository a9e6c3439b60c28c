/**
 * Node-only: one chain run to its files (./chain-files.ts), the same code in the main thread, in
 * a worker thread (./chain-worker.ts) and in a process of its own (`clax-pt sample --chain I`).
 * Draws are buffered and appended at each checkpoint (every checkpointSeconds, at the end of
 * warm-up, at the end and when stopped), then the checkpoint is written atomically.
 */
import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { ClaxPtInputError } from '../../errors';
import { Chain, type ChainTallies } from '../chain';
import { chainHeader, formatChainLine } from '../chains/getdist';
import type { SamplerSettings } from '../settings';
import { derivedColumns, derivedValues, type Target } from '../target';
import { UnconstrainedDensity } from '../unconstrained';
import { chainPath, ensureDirs, readCheckpoint, STATS_COLUMNS, statsPath, warmupPath, writeCheckpoint, type ChainFileState } from './chain-files';

export interface StartHints {
  center: number[];
  scale: number[];
  metric: number[];
}

export interface ChainJob {
  settings: SamplerSettings;
  /** 1-based */
  chain: number;
  out: string;
  resume: boolean;
  start?: StartHints;
}

export interface ChainProgress {
  chain: number;
  iteration: number;
  total: number;
  warmup: number;
  stepSize: number;
  divergences: number;
  treeDepth: number;
  /** seconds this session */
  elapsed: number;
  /** iteration at the start of this session (for the ETA of a resumed chain) */
  startIteration: number;
  done: boolean;
}

export interface ChainOutcome {
  chain: number;
  draws: number;
  iterations: number;
  wallSeconds: number;
  stepSize: number;
  tallies: ChainTallies;
  complete: boolean;
}

export interface ChainRunOptions {
  /** asked before each iteration, with the number of iterations done */
  shouldStop?: (iteration: number) => boolean;
  onProgress?: (p: ChainProgress) => void;
  /** in the main thread: yield to the event loop this often (ms), so that Ctrl-C is seen */
  yieldMs?: number;
  log?: (message: string) => void;
}

export function columnNames(target: Target): { name: string; latex?: string; derived: boolean }[] {
  return [...target.parameters.map((p) => ({ name: p.name, latex: p.latex, derived: false })), ...derivedColumns(target).map((d) => ({ ...d, derived: true }))];
}

const statsHeader = `# ${STATS_COLUMNS.join(' ')}\n`;

export async function runChainToFiles(job: ChainJob, target: Target, opts: ChainRunOptions = {}): Promise<ChainOutcome> {
  const { settings, chain: index, out } = job;
  const root = settings.root;
  const density = new UnconstrainedDensity(target);
  const columns = columnNames(target);
  const names = columns.map((c) => c.name);
  const paths = { chain: chainPath(out, root, index), stats: statsPath(out, root, index), warmup: warmupPath(out, root, index) };
  ensureDirs(out, settings.saveWarmup);

  let chain: Chain;
  let state: ChainFileState;
  const previous = readCheckpoint(out, root, index);
  if (previous && job.resume) {
    if (previous.columns.join(' ') !== names.join(' ')) {
      throw new ClaxPtInputError('--resume', `chain ${index}'s checkpoint has columns ${previous.columns.join(', ')} but the target has ${names.join(', ')}`);
    }
    for (const key of ['chain', 'stats', 'warmup'] as const) {
      const p = paths[key];
      const want = previous.bytes[key];
      if (key === 'warmup' && !existsSync(p)) {
        if (want > 0) throw new ClaxPtInputError('--resume', `${p} is missing (the checkpoint expects ${want} bytes)`);
        continue;
      }
      const have = existsSync(p) ? statSync(p).size : -1;
      if (have < want) throw new ClaxPtInputError('--resume', `${p} has ${have < 0 ? 'gone' : `${have} bytes`}, fewer than its checkpoint's ${want}: cannot resume chain ${index}`);
      if (have > want) truncateSync(p, want);
    }
    chain = Chain.restore(density, settings, previous.chain);
    state = previous;
  } else {
    if (previous || existsSync(paths.chain)) throw new ClaxPtInputError('--out', `chain ${index} already has files in ${out} (use --resume to continue it, or another folder)`);
    chain = Chain.start(density, settings, { chain: index, ...(job.start ?? {}) }, opts.log);
    writeFileSync(paths.chain, chainHeader(columns));
    writeFileSync(paths.stats, statsHeader);
    if (settings.saveWarmup) writeFileSync(paths.warmup, chainHeader(columns));
    state = {
      chain: chain.checkpoint(),
      bytes: { chain: statSync(paths.chain).size, stats: statSync(paths.stats).size, warmup: settings.saveWarmup ? statSync(paths.warmup).size : 0 },
      draws: 0,
      wallSeconds: 0,
      complete: false,
      columns: names,
    };
  }

  const t0 = performance.now();
  const wall0 = state.wallSeconds;
  const startIteration = chain.iteration;
  let buf = { chain: '', stats: '', warmup: '' };
  let bufferedDraws = 0;
  const flush = () => {
    if (buf.chain) appendFileSync(paths.chain, buf.chain);
    if (buf.stats) appendFileSync(paths.stats, buf.stats);
    if (buf.warmup) appendFileSync(paths.warmup, buf.warmup);
    buf = { chain: '', stats: '', warmup: '' };
    state = {
      ...state,
      chain: chain.checkpoint(),
      bytes: { chain: statSync(paths.chain).size, stats: statSync(paths.stats).size, warmup: existsSync(paths.warmup) && settings.saveWarmup ? statSync(paths.warmup).size : state.bytes.warmup },
      draws: state.draws + bufferedDraws,
      wallSeconds: wall0 + (performance.now() - t0) / 1000,
      complete: chain.done,
    };
    bufferedDraws = 0;
    writeCheckpoint(out, root, index, state);
  };

  let lastDepth = 0;
  const progress = (done: boolean) =>
    opts.onProgress?.({
      chain: index,
      iteration: chain.iteration,
      total: chain.total,
      warmup: settings.warmup,
      stepSize: chain.stepSize,
      divergences: chain.tallies.divergent + chain.tallies.divergentWarmup,
      treeDepth: lastDepth,
      elapsed: (performance.now() - t0) / 1000,
      startIteration,
      done,
    });
  progress(false);

  let lastCheckpoint = performance.now();
  let lastProgress = performance.now();
  let lastYield = performance.now();
  const x = new Float64Array(density.dim);
  while (!chain.done && !opts.shouldStop?.(chain.iteration)) {
    const draw = chain.step();
    lastDepth = draw.treeDepth;
    density.transforms.toConstrained(draw.u, x);
    if (draw.warmup) {
      if (settings.saveWarmup) buf.warmup += formatChainLine(1, -draw.logPosterior, [...x, ...derivedValues(target, x)]);
    } else {
      buf.chain += formatChainLine(1, -draw.logPosterior, [...x, ...derivedValues(target, x)]);
      buf.stats += `${draw.iteration} ${draw.acceptStat} ${draw.stepSize} ${draw.treeDepth} ${draw.nLeapfrog} ${draw.divergent ? 1 : 0} ${draw.energy}\n`;
      bufferedDraws++;
    }
    const now = performance.now();
    if (now - lastCheckpoint >= 1000 * settings.checkpointSeconds || chain.iteration === settings.warmup) {
      flush();
      lastCheckpoint = now;
    }
    if (now - lastProgress >= 200) {
      progress(false);
      lastProgress = now;
    }
    if (opts.yieldMs !== undefined && now - lastYield >= opts.yieldMs) {
      await new Promise((r) => setImmediate(r));
      lastYield = performance.now();
    }
  }
  flush();
  progress(true);
  return {
    chain: index,
    draws: state.draws,
    iterations: chain.iteration,
    wallSeconds: state.wallSeconds,
    stepSize: chain.stepSize,
    tallies: { ...chain.tallies },
    complete: chain.done,
  };
}
