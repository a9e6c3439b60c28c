/**
 * Where the per-cosmology float64 host jobs (./host-jobs.ts: the IR split and the AP moment
 * sums) run: a platform adapter may supply a runner that shares them between threads
 * (./node-pool.ts: worker_threads under Node, installed by ../platform/node.ts); without one
 * (browsers: the API is synchronous and a browser's main thread cannot block on a worker) they
 * run on the calling thread. Same results either way.
 */
import { runHostJob, type HostJob, type HostResult } from './host-jobs';

/** Runs every job and returns the results in order. */
export type HostJobRunner = (jobs: HostJob[]) => HostResult[];

let runner: HostJobRunner | null = null;

/** Installs a runner (null: the calling thread). */
export function setHostJobRunner(r: HostJobRunner | null): void {
  runner = r;
}

/** Every job's result, in order. */
export function runHostJobs(jobs: HostJob[]): HostResult[] {
  return runner ? runner(jobs) : jobs.map(runHostJob);
}
