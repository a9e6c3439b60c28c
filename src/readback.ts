/**
 * Reading tensor values back to the host (the float64 host stages read the tensor stages'
 * results: the FFTLog synthesis, the Legendre sums off wasm, the float64 rows' corrections).
 *
 * Every backend but one reads synchronously (`dataSync`). WebGPU under Node (Dawn, the npm
 * package `webgpu`) cannot: a buffer is mapped only when the event loop runs. `computeAsync`
 * runs a synchronous computation of this library there: where the computation needs a value it
 * starts reading it and stops (every tensor it made is disposed); once the value is in, the
 * computation runs again from the start with the values read so far, until it completes. A
 * forward with k read-backs thus runs its tensor stages up to k + 1 times (each run up to the
 * next read-back). Each read-back carries the label of its call site and the shape it read, and
 * a run that asks for a different one than the previous run did is an error (never a silent
 * mix-up of values).
 */
import * as tf from '@tensorflow/tfjs-core';

type Values = Float32Array | Int32Array | Uint8Array;

interface Replay {
  values: { label: string; shape: string; data: Values }[];
  next: number;
}

let replay: Replay | null = null;

/**
 * Errors a WebGPU device reported (validation, out of memory): its commands then did nothing or
 * wrote garbage, so the next read-back (and the end of computeAsync) throws instead of returning
 * wrong numbers. ./backend.ts watches the device when it starts webgpu.
 */
const gpuErrors: string[] = [];
const watched = new WeakSet<object>();

interface DeviceLike {
  addEventListener?(type: 'uncapturederror', listener: (e: { error?: { message?: string } }) => void): void;
  queue?: { onSubmittedWorkDone(): Promise<void> };
}

export function watchGpuErrors(device: unknown): void {
  const d = device as DeviceLike | undefined;
  if (!d || typeof d !== 'object' || watched.has(d) || !d.addEventListener) return;
  watched.add(d);
  d.addEventListener('uncapturederror', (e) => gpuErrors.push(e.error?.message?.split('\n')[0] ?? 'unknown error'));
}

function throwGpuErrors(label: string): void {
  if (!gpuErrors.length) return;
  const all = gpuErrors.splice(0);
  throw new Error(`${label}: the GPU device reported ${all.length} error(s), so results would be wrong: ${[...new Set(all)].join(' | ').slice(0, 600)}`);
}

class PendingRead {
  constructor(
    readonly label: string,
    readonly shape: string,
    readonly data: Promise<Values>,
    readonly tensor: tf.Tensor,
  ) {}
}

/** Whether the active backend reads tensors synchronously (false: WebGPU without OffscreenCanvas, i.e. Node). */
export function hasSyncRead(): boolean {
  if (tf.getBackend() !== 'webgpu') return true;
  return typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined';
}

/** The values of a tensor, on the host (`label`: the call site, for the replay's check). */
export function readSync(t: tf.Tensor, label: string): Values {
  throwGpuErrors(label);
  if (!replay) {
    if (!hasSyncRead()) {
      throw new Error(
        `${label}: the ${tf.getBackend()} backend cannot read tensors synchronously here (WebGPU under Node); ` +
          'run the computation through computeAsync(() => ...) (forward passes; gradients need a backend with synchronous reads: wasm, cpu, webgl, or webgpu in a browser)',
      );
    }
    return t.dataSync() as Values;
  }
  const shape = t.shape.join('x');
  const r = replay;
  if (r.next < r.values.length) {
    const v = r.values[r.next++];
    if (v.label !== label || v.shape !== shape) {
      throw new Error(`computeAsync: the computation diverged between runs (read-back ${r.next}: ${v.label} [${v.shape}] before, ${label} [${shape}] now)`);
    }
    return v.data;
  }
  tf.keep(t); // survives the end of the run's scope until its values are in
  throw new PendingRead(label, shape, t.data() as Promise<Values>, t);
}

/** The last computeAsync call: how many times it ran `f` and how many values it read back. */
export const lastComputeAsync = { runs: 0, readbacks: 0 };

/**
 * Runs `f` (a synchronous computation of this library) to completion on any backend, reading
 * tensor values asynchronously where the backend cannot read them synchronously (see above).
 * On other backends it is `f()`.
 */
export async function computeAsync<T>(f: () => T): Promise<T> {
  if (hasSyncRead()) return f();
  if (replay) throw new Error('computeAsync calls cannot be nested');
  const values: Replay['values'] = [];
  const engine = tf.engine();
  for (let run = 1; ; run++) {
    replay = { values, next: 0 };
    Object.assign(lastComputeAsync, { runs: run, readbacks: values.length });
    engine.startScope();
    let result: T;
    try {
      result = f();
    } catch (e) {
      engine.endScope(); // disposes every tensor this run made (kept ones stay)
      replay = null;
      if (!(e instanceof PendingRead)) throw e;
      try {
        values.push({ label: e.label, shape: e.shape, data: await e.data });
      } finally {
        e.tensor.dispose();
      }
      continue;
    }
    engine.endScope(result as unknown as tf.TensorContainer); // the result's tensors survive
    replay = null;
    // errors of the last commands arrive once the device has run them
    await (tf.backend() as unknown as { device?: DeviceLike }).device?.queue?.onSubmittedWorkDone();
    throwGpuErrors('computeAsync');
    return result;
  }
}
