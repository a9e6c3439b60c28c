/**
 * Node-only: where a run's files live and how they are written.
 *
 *   OUT/<root>_<i>.txt                   GetDist chain i (post-warm-up draws)
 *   OUT/<root>.paramnames, <root>.ranges  GetDist's names and prior ranges
 *   OUT/summary.json                      the run's summary
 *   OUT/sampler/run.json                  the TargetSpec and settings of the run
 *   OUT/sampler/<root>_<i>.checkpoint.json  chain i's state (resume from here)
 *   OUT/sampler/<root>_<i>.stats.txt      per draw: accept_stat, step size, tree depth, ...
 *   OUT/warmup/<root>_<i>.txt             warm-up draws, GetDist format (with saveWarmup)
 *
 * JSON files are written atomically (a temporary file renamed over the old one). Chain and
 * stats files grow by appending; the checkpoint records their lengths, and a resumed chain
 * first truncates them to those lengths, so a crash or Ctrl-C between a write and the next
 * checkpoint never leaves a line twice.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ClaxPtInputError } from '../../errors';
import type { ChainCheckpoint } from '../chain';
import type { SamplerSettings } from '../settings';
import type { TargetSpec } from '../target';

export const STATS_COLUMNS = ['iteration', 'accept_stat', 'stepsize', 'treedepth', 'n_leapfrog', 'divergent', 'energy'] as const;

export function chainPath(out: string, root: string, chain: number): string {
  return join(out, `${root}_${chain}.txt`);
}
export function paramnamesPath(out: string, root: string): string {
  return join(out, `${root}.paramnames`);
}
export function rangesPath(out: string, root: string): string {
  return join(out, `${root}.ranges`);
}
export function summaryPath(out: string): string {
  return join(out, 'summary.json');
}
export function samplerDir(out: string): string {
  return join(out, 'sampler');
}
export function runPath(out: string): string {
  return join(out, 'sampler', 'run.json');
}
export function checkpointPath(out: string, root: string, chain: number): string {
  return join(out, 'sampler', `${root}_${chain}.checkpoint.json`);
}
export function statsPath(out: string, root: string, chain: number): string {
  return join(out, 'sampler', `${root}_${chain}.stats.txt`);
}
export function warmupPath(out: string, root: string, chain: number): string {
  return join(out, 'warmup', `${root}_${chain}.txt`);
}

/** write to a temporary file beside `path`, then rename it over `path` */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${threadId}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function ensureDirs(out: string, saveWarmup: boolean): void {
  mkdirSync(samplerDir(out), { recursive: true });
  if (saveWarmup) mkdirSync(join(out, 'warmup'), { recursive: true });
}

/** what a chain's checkpoint file holds */
export interface ChainFileState {
  chain: ChainCheckpoint;
  /** byte lengths of the chain, stats and warm-up files at this checkpoint */
  bytes: { chain: number; stats: number; warmup: number };
  /** post-warm-up draws written */
  draws: number;
  /** seconds this chain has computed, over all its sessions */
  wallSeconds: number;
  complete: boolean;
  /** the column names, to refuse a resume against another target */
  columns: string[];
}

export function readCheckpoint(out: string, root: string, chain: number): ChainFileState | null {
  const p = checkpointPath(out, root, chain);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as ChainFileState;
  } catch (e) {
    throw new ClaxPtInputError(p, `not a readable checkpoint (${(e as Error).message})`);
  }
}

export function writeCheckpoint(out: string, root: string, chain: number, state: ChainFileState): void {
  writeFileAtomic(checkpointPath(out, root, chain), JSON.stringify(state));
}

/** the run's description: what built the target and with which settings */
export interface RunFile {
  spec: TargetSpec;
  settings: SamplerSettings;
  columns: { name: string; latex?: string; derived: boolean }[];
  /** starting hints from the MAP (init: 'map'), unconstrained */
  start?: { center: number[]; scale: number[]; metric: number[] };
}

export function readRunFile(out: string): RunFile | null {
  const p = runPath(out);
  if (!existsSync(p)) return null;
  return JSON.parse(readFileSync(p, 'utf8')) as RunFile;
}

export function writeRunFile(out: string, run: RunFile): void {
  writeFileAtomic(runPath(out), JSON.stringify(run, null, 1));
}
