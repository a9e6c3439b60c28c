/**
 * Worker-thread entry of ./parallel.ts: builds the target from the TargetSpec (as the main thread
 * would), runs one chain to its files (./run-chain.ts), posts progress and the outcome. The
 * main thread's stop flag (a shared Int32Array, set on Ctrl-C) is read between iterations.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isInputError } from '../../errors';
import { registerTfjsResolveHook } from '../../cli/node-hooks';
import type { TargetSpec } from '../target';
import { runChainToFiles, type ChainJob } from './run-chain';

const { job, spec, stop } = workerData as { job: ChainJob; spec: TargetSpec; stop: SharedArrayBuffer };
const stopFlag = new Int32Array(stop);
const port = parentPort!;

try {
  // from the sources, a likelihood target's engine needs the resolve hook (../../cli/node-hooks.ts); the bundle does not
  if (import.meta.url.endsWith('.ts')) registerTfjsResolveHook();
  await import('../../platform/node'); // the core's Node adapter (wasm files, host threads, 'likelihood' target)
  const { loadTarget } = await import('../target-loader');
  const target = await loadTarget(spec);
  try {
    const outcome = await runChainToFiles(job, target, {
      shouldStop: () => Atomics.load(stopFlag, 0) !== 0,
      onProgress: (p) => port.postMessage({ type: 'progress', progress: p }),
      log: (message) => port.postMessage({ type: 'log', message }),
    });
    port.postMessage({ type: 'done', outcome });
  } finally {
    target.dispose?.();
  }
} catch (e) {
  const err = e as Error & { field?: string };
  port.postMessage({ type: 'error', message: err?.message ?? String(e), field: isInputError(e) ? err.field : undefined, stack: err?.stack });
}
