/**
 * Node-only: several chains at once, each in a worker thread (./chain-worker.ts) that builds
 * its own target from the TargetSpec, at most `workers` at a time (default: one per core); or,
 * with workers = 0, one after another in this thread on one target. Either way each chain's
 * draws depend only on (seed, chain), so the files are identical.
 * The worker's entry is found as the host pool's is (../../host/worker-entry.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ClaxPtInputError } from '../../errors';
import { workerEntry } from '../../host/worker-entry';
import { loadTarget } from '../target-loader';
import type { Target, TargetSpec } from '../target';
import { runChainToFiles, type ChainJob, type ChainOutcome, type ChainProgress } from './run-chain';

export interface ParallelRun {
  spec: TargetSpec;
  jobs: ChainJob[];
  /** worker threads at once; 0: every chain in this thread (default: min(chains, cores)) */
  workers?: number;
  /** set element 0 to 1 to stop every chain after its current iteration */
  stop: Int32Array;
  onProgress?: (p: ChainProgress) => void;
  log?: (message: string) => void;
  /** a target already built from spec (used when workers = 0) */
  target?: Target;
}

export function defaultWorkers(chains: number): number {
  return Math.max(1, Math.min(chains, availableParallelism()));
}

export async function runChains(run: ParallelRun): Promise<ChainOutcome[]> {
  const workers = run.workers ?? defaultWorkers(run.jobs.length);
  if (!Number.isInteger(workers) || workers < 0) throw new ClaxPtInputError('--workers', `must be a non-negative integer, got ${workers}`);
  if (workers === 0) {
    const target = run.target ?? (await loadTarget(run.spec));
    try {
      const outcomes: ChainOutcome[] = [];
      for (const job of run.jobs) {
        if (Atomics.load(run.stop, 0) !== 0) break;
        outcomes.push(await runChainToFiles(job, target, { shouldStop: () => Atomics.load(run.stop, 0) !== 0, onProgress: run.onProgress, yieldMs: 50, log: run.log }));
      }
      return outcomes;
    } finally {
      if (!run.target) target.dispose?.();
    }
  }
  if (!(run.stop.buffer instanceof SharedArrayBuffer)) throw new Error('runChains: the stop flag must live in a SharedArrayBuffer for worker threads');
  const queue = [...run.jobs];
  const outcomes: ChainOutcome[] = [];
  const errors: Error[] = [];
  const runOne = (job: ChainJob) =>
    new Promise<void>((resolve) => {
      const worker = new Worker(workerEntry(import.meta.url, 'chain-worker'), { workerData: { job, spec: run.spec, stop: run.stop.buffer } });
      let settled = false;
      const finish = (e?: Error) => {
        if (settled) return;
        settled = true;
        if (e) {
          errors.push(e);
          Atomics.store(run.stop, 0, 1); // the other chains stop and checkpoint
        }
        resolve();
      };
      worker.on('message', (m: { type: string; progress?: ChainProgress; outcome?: ChainOutcome; message?: string; field?: string; stack?: string }) => {
        if (m.type === 'progress' && m.progress) run.onProgress?.(m.progress);
        else if (m.type === 'log' && m.message) run.log?.(`chain ${job.chain}: ${m.message}`);
        else if (m.type === 'done' && m.outcome) outcomes.push(m.outcome);
        else if (m.type === 'error') {
          const err = m.field !== undefined ? new ClaxPtInputError(m.field, (m.message ?? '').replace(`${m.field}: `, '')) : new Error(`chain ${job.chain}: ${m.message}`);
          if (process.env.CLAX_PT_DEBUG && m.stack) console.error(m.stack);
          finish(err);
        }
      });
      worker.on('error', (e: Error) => finish(new Error(`chain ${job.chain}: the worker failed (${e.message})`)));
      worker.on('exit', (code) => finish(code === 0 || outcomes.some((o) => o.chain === job.chain) ? undefined : new Error(`chain ${job.chain}: the worker exited with code ${code}`)));
    });
  const lane = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      if (Atomics.load(run.stop, 0) !== 0 || errors.length) break;
      await runOne(job);
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, run.jobs.length) }, lane));
  if (errors.length) throw errors[0];
  return outcomes.sort((a, b) => a.chain - b.chain);
}
