/**
 * Worker-thread entry of ./host-pool.ts: takes jobs from the shared counter (the main thread
 * takes from the same one), runs each (CLASS-PT's IR split, ../ir/resummation.ts, or the float64 AP
 * moment sums of one cosmology, ../redshift/ap-moments-host.ts), posts the results back with
 * their indices, then raises the shared flag the main thread waits on.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { runHostJob, type HostJob, type HostResult } from './host-jobs';

const { port, flag: buffer } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(buffer);

port.on('message', (jobs: HostJob[]) => {
  let reply;
  try {
    const done: [number, HostResult][] = [];
    for (let i = Atomics.add(flag, 2, 1); i < jobs.length; i = Atomics.add(flag, 2, 1)) done.push([i, runHostJob(jobs[i])]);
    reply = { done };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
Atomics.store(flag, 1, 1); // loaded and listening
