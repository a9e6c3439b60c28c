/**
 * Worker-thread entry of ./host-pool.ts: takes jobs of a batch from the shared counter (the main
 * thread takes from the same one), runs CLASS-PT's IR split (./resummation.ts irResummation) on
 * each, posts the spectra back with their indices, then raises the shared flag the main thread
 * waits on.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { irResummation, type IrResummationOptions } from './resummation';

const { port, flag: buffer } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(buffer);

port.on('message', (jobs: IrResummationOptions[]) => {
  let reply;
  try {
    const done: [number, ReturnType<typeof irResummation>][] = [];
    for (let i = Atomics.add(flag, 2, 1); i < jobs.length; i = Atomics.add(flag, 2, 1)) done.push([i, irResummation(jobs[i])]);
    reply = { done };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
Atomics.store(flag, 1, 1); // loaded and listening
