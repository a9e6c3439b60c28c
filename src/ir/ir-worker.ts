/**
 * Worker-thread entry of ./host-pool.ts: runs CLASS-PT's IR split (./resummation.ts
 * irResummation) for the part of a batch it is sent, posts the spectra back, then raises the
 * shared flag the main thread waits on.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { irResummation, type IrResummationOptions } from './resummation';

const { port, flag: buffer } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(buffer);

port.on('message', (jobs: IrResummationOptions[]) => {
  let reply;
  try {
    reply = { spectra: jobs.map(irResummation) };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
Atomics.store(flag, 1, 1); // loaded and listening
