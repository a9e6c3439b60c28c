/**
 * A faster Slice kernel for tfjs-backend-wasm (same results, no numerical change).
 *
 * The stock wasm Slice (tfjs-backend-wasm 4.x) starts with `backend.readSync(x.dataId)`, which
 * copies the WHOLE input out of the wasm heap (`HEAPU8.slice`) before copying the requested part:
 * taking one channel of a [B, C, J, G] tensor costs as much as copying all C channels, and rank-5
 * slices go through a generic element-by-element path. This kernel reads the input through a
 * view of the heap instead (taken after the output is allocated, since an allocation may grow
 * and detach the heap buffer) and copies contiguous runs for any rank. Its gradient is the stock
 * one (a pad). It replaces the registered wasm Slice once, when the wasm backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

let original: tf.KernelConfig | undefined;
let installed = false;

function fastSlice(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const backend = args.backend as WasmBackendLike;
  const attrs = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  if (x.dtype === 'string' || !original) {
    return (original as tf.KernelConfig).kernelFunc(args as never) as tf.TensorInfo;
  }
  const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, attrs.begin, attrs.size);
  const out = backend.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  const xVals = backend.typedArrayFromHeap(x); // a view: taken after makeOutput (heap growth)
  const outVals = backend.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  const strides = tf.util.computeStrides(shape);
  if (tf.slice_util.isSliceContinous(shape, begin, size)) {
    const offset = tf.slice_util.computeFlatOffset(begin, strides);
    outVals.set(xVals.subarray(offset, offset + total));
    return out;
  }
  // merge trailing axes taken whole into one contiguous run
  let inner = rank - 1;
  let run = size[inner];
  while (inner > 0 && size[inner] === shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner];
  }
  // iterate over the outer index space [0, inner) (odometer)
  const idx = new Array<number>(inner).fill(0);
  let outOffset = 0;
  for (;;) {
    let offset = begin[inner] * (strides[inner] ?? 1);
    for (let a = 0; a < inner; a++) offset += (begin[a] + idx[a]) * strides[a];
    outVals.set(xVals.subarray(offset, offset + run), outOffset);
    outOffset += run;
    let a = inner - 1;
    while (a >= 0) {
      idx[a]++;
      if (idx[a] < size[a]) break;
      idx[a] = 0;
      a--;
    }
    if (a < 0) break;
  }
  return out;
}

/** Registers the fast Slice for the wasm backend (idempotent; no-op on other backends). */
export function installWasmKernels(): void {
  if (installed || tf.getBackend() !== 'wasm') return;
  original ??= tf.getKernel('Slice', 'wasm');
  if (!original) return;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({ kernelName: 'Slice', backendName: 'wasm', kernelFunc: fastSlice as unknown as tf.KernelFunc });
  installed = true;
}

/** Restores the stock wasm Slice (for A/B measurements and tests). */
export function uninstallWasmKernels(): void {
  if (!installed || !original) return;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel(original);
  installed = false;
}
