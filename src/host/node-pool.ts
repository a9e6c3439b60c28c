/**
 * The Node adapter of ./host-pool.ts: the float64 host stages on two threads. CLASS-PT's IR split (../ir/resummation.ts, a 65536-point
 * sine-transform pair per cosmology) is the largest host stage and independent per cosmology,
 * and the AP moment sums (../redshift/ap-moments-host.ts) need only h, hratio and Dratio: from
 * MIN_JOBS_FOR_WORKER jobs on, a worker thread (./host-worker.ts) shares them with the main
 * thread; both take the next job from one shared counter, so a worker that gets no CPU costs at
 * most the job it is on. (A single cosmology stays on the main thread: its second job, the
 * moments, is ~1 ms, and with the second core busy two threads slowed the IR split by more.)
 *
 * The API stays synchronous: the main thread blocks on a shared flag (Atomics.wait, allowed in
 * Node) and reads the reply with receiveMessageOnPort. The worker starts on the first batch that
 * could use it and is used once it reports ready; until then, or if it cannot start (e.g. a
 * bundle without host-worker.js), or with CLAX_PT_HOST_WORKER=0, everything runs on the main
 * thread, with the same results (CLAX_PT_DEBUG=1 prints why a worker failed).
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { runHostJob, type HostJob, type HostResult } from './host-jobs';
import { workerEntry } from './worker-entry';

export const MIN_JOBS_FOR_WORKER = 4;

interface Pool {
  worker: Worker;
  port: MessagePort;
  /** [0]: reply posted, [1]: worker ready, [2]: next job of the batch */
  flag: Int32Array;
  broken: boolean;
}

let pool: Pool | null | undefined;

function startPool(): Pool | null {
  if (process.env.CLAX_PT_HOST_WORKER === '0') return null;
  try {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(12));
    const worker = new Worker(workerEntry(import.meta.url, 'host-worker'), { workerData: { port: port2, flag: flag.buffer }, transferList: [port2] });
    const p: Pool = { worker, port: port1, flag, broken: false };
    worker.on('error', (e) => {
      if (process.env.CLAX_PT_DEBUG) console.error(e);
      p.broken = true;
    });
    worker.on('exit', () => (p.broken = true));
    worker.unref();
    port1.unref();
    return p;
  } catch {
    return null;
  }
}

/** Every job's result, in order; shared with the worker (one job counter) when it is ready. */
export function runHostJobsOnThreads(jobs: HostJob[]): HostResult[] {
  if (jobs.length < MIN_JOBS_FOR_WORKER) return jobs.map(runHostJob);
  if (pool === undefined) pool = startPool();
  const p = pool;
  if (!p || p.broken || Atomics.load(p.flag, 1) !== 1) return jobs.map(runHostJob);
  Atomics.store(p.flag, 0, 0);
  Atomics.store(p.flag, 2, 0);
  p.port.postMessage(jobs);
  const out: HostResult[] = new Array(jobs.length);
  for (let i = Atomics.add(p.flag, 2, 1); i < jobs.length; i = Atomics.add(p.flag, 2, 1)) out[i] = runHostJob(jobs[i]);
  const waited = Atomics.wait(p.flag, 0, 0, 60_000);
  const reply = receiveMessageOnPort(p.port)?.message as { done?: [number, HostResult][]; error?: string } | undefined;
  if (waited === 'timed-out' || !reply?.done) {
    p.broken = true; // fall back for good; recompute here (an input error is rethrown by the main thread)
    return jobs.map((job, i) => out[i] ?? runHostJob(job));
  }
  for (const [i, result] of reply.done) out[i] = result;
  return out;
}

/** Whether the worker is in use for batches: for tests and benchmarks (starts it if needed). */
export function hostWorkerState(): 'off' | 'starting' | 'ready' | 'broken' {
  if (pool === undefined) pool = startPool();
  if (!pool) return 'off';
  if (pool.broken) return 'broken';
  return Atomics.load(pool.flag, 1) === 1 ? 'ready' : 'starting';
}
