/**
 * Large batches (emulator training sets, Fisher grids, ensembles of chains): computeComponents
 * over a batch of any size, in calls of at most `maxBatch` cosmologies whose rows are then
 * concatenated. On a GPU the largest tensors of a call grow with the batch (the largest,
 * in the tensor path's loop products, is 2.1 MB per cosmology at N = 256; then the AP integrands
 * [B, C, J, G]), and a WebGPU device binds at most `maxStorageBufferBindingSize`
 * bytes per buffer (128 MiB by default and on software adapters; more on most GPUs): past it a
 * call fails (./readback.ts turns the device's error into an exception). Asynchronous, so that
 * WebGPU under Node reads each call's values as they come (./readback.ts computeAsync); for
 * gradients call computeComponents on batches that fit.
 */
import * as tf from '@tensorflow/tfjs-core';
import { computeComponents, type ComponentsResult, type ComputeOptions } from './compute';
import type { Plan } from './plan';
import type { CosmologyInput, LinearStage } from './input/linear-stage';
import { computeAsync } from './readback';

/** The largest batch per call for the active backend and FFTLog size. */
export function defaultMaxBatch(n: number): number {
  const backend = tf.getBackend();
  if (backend === 'webgpu') {
    const limit = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device?.limits?.maxStorageBufferBindingSize ?? 2 ** 27;
    const perCosmology = 2 * (2 * n + 2) * (2 * n + 2) * 4; // the largest products tensor (measured: 2.1 MB at N = 256), bytes
    return Math.max(1, Math.floor(limit / (2 * perCosmology))); // half the limit: room for the products' pad
  }
  return backend === 'wasm' ? 256 : 64;
}

const concatRows = <T>(parts: T[][]): T[] => parts.flat();

/**
 * computeComponents for any number of cosmologies, in calls of at most `maxBatch` (default
 * ./defaultMaxBatch); the components are concatenated along the batch axis.
 */
export async function computeInBatches(
  plan: Plan,
  cosmologies: CosmologyInput[],
  options: ComputeOptions,
  maxBatch = defaultMaxBatch(plan.n),
): Promise<ComponentsResult> {
  const B = cosmologies.length;
  if (B <= maxBatch) return computeAsync(() => computeComponents(plan, cosmologies, options));
  const kOut = options.kOutMpc;
  const nested = Array.isArray(kOut) && kOut.length > 0 && typeof (kOut as unknown[])[0] !== 'number';
  const parts: ComponentsResult[] = [];
  try {
    for (let start = 0; start < B; start += maxBatch) {
      const end = Math.min(B, start + maxBatch);
      const kOutMpc = nested ? (kOut as ArrayLike<number>[]).slice(start, end) : kOut;
      parts.push(await computeAsync(() => computeComponents(plan, cosmologies.slice(start, end), { ...options, kOutMpc })));
    }
  } catch (e) {
    parts.forEach((p) => p.dispose());
    throw e;
  }
  const components: Record<string, tf.Tensor2D> = {};
  for (const name of Object.keys(parts[0].components)) components[name] = tf.concat(parts.map((p) => p.components[name]), 0);
  const l = parts.map((p) => p.linear);
  const linear: LinearStage = {
    h: concatRows(l.map((x) => x.h)),
    inputs: concatRows(l.map((x) => x.inputs)),
    rsDragMpc: concatRows(l.map((x) => x.rsDragMpc)),
    gridKMpc: concatRows(l.map((x) => x.gridKMpc)),
    pDisc: concatRows(l.map((x) => x.pDisc)),
    pNoWiggle: concatRows(l.map((x) => x.pNoWiggle)),
    pWiggle: concatRows(l.map((x) => x.pWiggle)),
    pWiggleRaw: concatRows(l.map((x) => x.pWiggleRaw)),
    pBin: concatRows(l.map((x) => x.pBin)),
    pTree: concatRows(l.map((x) => x.pTree)),
    sigmaV2: concatRows(l.map((x) => x.sigmaV2)),
    sigma2Bao: concatRows(l.map((x) => x.sigma2Bao)),
    deltaSigma2Bao: concatRows(l.map((x) => x.deltaSigma2Bao)),
  };
  return {
    kOutMpc: concatRows(parts.map((p) => p.kOutMpc)),
    components,
    linear,
    dispose: () => {
      tf.dispose(Object.values(components));
      parts.forEach((p) => p.dispose());
    },
  };
}
