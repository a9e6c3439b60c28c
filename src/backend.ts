/**
 * Backend selection for the tensor stages: wasm (default), cpu, webgl, webgpu, or node
 * (@tensorflow/tfjs-node, when the user installed it). The choice comes from the `backend`
 * option, else the environment variable `CLAX_PT_BACKEND`, else wasm.
 *
 * A backend asked for by name (option or environment variable) that cannot start is an error
 * that says why; only the unnamed default (wasm) falls back to cpu, with a warning. On webgl
 * and webgpu the loops take the tensor path (the wasm SIMD kernel is wasm's); the float64 host
 * stages run on the CPU whatever the backend. Under Node, WebGPU comes from the npm package
 * `webgpu` (Dawn), set up by the Node adapter (./platform/node.ts) before the backend is
 * imported; there it cannot read tensors synchronously (see ./readback.ts: computeAsync).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { installWasmKernels } from './wasm-kernels';
import { envVar, platformHooks } from './platform/hooks';
import { watchGpuErrors } from './readback';

export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu' | 'node';
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu', 'node'];

/** tfjs's name of each backend. */
const TFJS_NAME: Record<BackendName, string> = { wasm: 'wasm', cpu: 'cpu', webgl: 'webgl', webgpu: 'webgpu', node: 'tensorflow' };

/** Reads the requested backend from an option or `CLAX_PT_BACKEND`, validating the name. */
export function requestedBackend(option?: string): BackendName {
  return requested(option).name;
}

function requested(option?: string): { name: BackendName; named: boolean } {
  const env = envVar('CLAX_PT_BACKEND');
  const raw = option ?? env ?? 'wasm';
  const name = raw.trim().toLowerCase();
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    const source = option !== undefined ? 'option backend' : 'environment variable CLAX_PT_BACKEND';
    throw new Error(`${source}: unknown backend '${raw}' (expected one of ${BACKEND_NAMES.join(', ')})`);
  }
  return { name: name as BackendName, named: option !== undefined || env !== undefined };
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Registers a backend's package; throws with the reason if it cannot. */
async function register(name: BackendName): Promise<void> {
  if (name === 'cpu') return;
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const paths = platformHooks().wasmPaths?.();
    if (paths) wasm.setWasmPaths(paths);
    return;
  }
  if (name === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
    if (tf.env().getNumber('WEBGL_VERSION') === 0) {
      throw new Error(`no WebGL context on this platform (${platformHooks().name})${platformHooks().name === 'node' ? ': WebGL runs in browsers; under Node use webgpu' : ''}`);
    }
    return;
  }
  if (name === 'webgpu') {
    const prepare = platformHooks().prepareWebGpu;
    if (prepare) await prepare();
    else {
      const gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
      if (!gpu) throw new Error('this browser has no WebGPU (navigator.gpu is undefined)');
      await import('@tensorflow/tfjs-backend-webgpu');
    }
    return;
  }
  // node: the optional package, only present when the user installed it
  const pkg = '@tensorflow/tfjs-node';
  try {
    await import(/* @vite-ignore */ pkg);
  } catch (e) {
    throw new Error(`needs the optional package ${pkg}, which did not load (${message(e)})`);
  }
}

/** Starts a registered backend; throws with the reason (the backend factory's error) if it cannot. */
async function start(name: BackendName): Promise<void> {
  const tfName = TFJS_NAME[name];
  const factory = tf.findBackendFactory(tfName);
  if (!factory) throw new Error(`tfjs has no '${tfName}' backend registered`);
  if (await tf.setBackend(tfName)) return;
  // tfjs logs the failure and returns false: ask the factory once more for the reason
  let reason = 'its initialisation failed';
  try {
    await factory();
  } catch (e) {
    reason = message(e);
  }
  throw new Error(reason);
}

/**
 * Activates a backend and returns the name actually in use (tfjs's name: 'wasm', 'cpu',
 * 'webgl', 'webgpu', 'tensorflow'). A backend requested by name that cannot start throws an
 * error that says why; the unnamed default (wasm) falls back to cpu with a warning.
 */
export async function useBackend(option?: string): Promise<string> {
  const want = requested(option);
  const tfName = TFJS_NAME[want.name];
  if (tf.getBackend() === tfName && tf.findBackend(tfName)) return finish();
  try {
    await register(want.name);
    await start(want.name);
  } catch (e) {
    if (want.named) throw new Error(`backend '${want.name}' cannot start: ${message(e)}`);
    console.warn(`clax-pt: the default backend wasm cannot start (${message(e)}); using cpu`);
    await tf.setBackend('cpu');
  }
  return finish();
}

async function finish(): Promise<string> {
  await tf.ready();
  if (tf.getBackend() === 'webgpu') watchGpuErrors((tf.backend() as unknown as { device?: unknown }).device);
  installWasmKernels(); // the library's own wasm kernels, under names of its own (./wasm-kernels.ts)
  return tf.getBackend();
}
