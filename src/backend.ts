/**
 * Backend selection for the tensor stages.
 *
 * Default: `@tensorflow/tfjs-backend-wasm` (fast, installs from the npm registry), falling back
 * to the pure-JS `@tensorflow/tfjs-backend-cpu`. `@tensorflow/tfjs-node` is used only when the
 * user has installed it and asks for it (`node`). The choice comes from the `backend` option,
 * else the environment variable `CLAX_PT_BACKEND`, else `wasm`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { installWasmKernels } from './wasm-kernels';

export type BackendName = 'wasm' | 'cpu' | 'node';
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'cpu', 'node'];

let wasmRegistered = false;
let nodeRegistered = false;

async function registerWasm(): Promise<boolean> {
  if (wasmRegistered) return true;
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm binaries sit beside the package's main file; point the loader there.
    const require = createRequire(import.meta.url);
    const main = require.resolve('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(dirname(main) + '/');
    wasmRegistered = true;
    return true;
  } catch {
    return false;
  }
}

async function registerNode(): Promise<boolean> {
  if (nodeRegistered) return true;
  try {
    // Optional dependency: only present when the user installed it.
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    nodeRegistered = true;
    return true;
  } catch {
    return false;
  }
}

/** Reads the requested backend from an option or `CLAX_PT_BACKEND`, validating the name. */
export function requestedBackend(option?: string): BackendName {
  const raw = option ?? process.env.CLAX_PT_BACKEND ?? 'wasm';
  const name = raw.trim().toLowerCase();
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    const source = option !== undefined ? 'option backend' : 'environment variable CLAX_PT_BACKEND';
    throw new Error(`${source}: unknown backend '${raw}' (expected one of ${BACKEND_NAMES.join(', ')})`);
  }
  return name as BackendName;
}

/**
 * Activates a backend and returns the name actually in use. `wasm` falls back to `cpu` if the
 * WebAssembly backend cannot start; `node` is an error if `@tensorflow/tfjs-node` is absent.
 */
export async function useBackend(option?: string): Promise<string> {
  const want = requestedBackend(option);
  if (tf.getBackend() === (want === 'node' ? 'tensorflow' : want) && tf.engine().backendName) {
    return tf.getBackend();
  }
  if (want === 'node') {
    if (!(await registerNode())) {
      throw new Error("backend 'node' needs the optional package @tensorflow/tfjs-node, which is not installed");
    }
    await tf.setBackend('tensorflow');
  } else if (want === 'wasm' && (await registerWasm()) && (await tf.setBackend('wasm'))) {
    // wasm is active
  } else {
    await tf.setBackend('cpu');
  }
  await tf.ready();
  installWasmKernels(); // the faster Slice on wasm (./wasm-kernels)
  return tf.getBackend();
}
