/**
 * The tensor ops of this library that have kernels of its own on wasm (./wasm-kernels.ts):
 * `mul`, `matMul` and `slice`, with tfjs's semantics. On wasm they run the library's kernels
 * `ClaxMultiply`, `ClaxBatchMatMul` and `ClaxSlice` (registered under those names, with their
 * own gradients); on every other backend, or for operands they do not cover, they are tf.mul,
 * tf.matMul and tf.slice. Stock kernels stay untouched, so a user's model in the same process
 * is not affected by anything this library does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hasOwnWasmKernels, OWN_BATCH_MATMUL, OWN_MULTIPLY, OWN_SLICE } from './wasm-kernels';

type Operand = tf.Tensor | number;

/** float32 tensors of the same dtype as tfjs would give (numbers become float32 scalars). */
function asFloat32(x: Operand): tf.Tensor | null {
  if (typeof x === 'number') return tf.scalar(x, 'float32');
  return x instanceof tf.Tensor && x.dtype === 'float32' ? x : null;
}

/** tf.mul (elementwise, broadcasting). */
export function mul<T extends tf.Tensor>(a: Operand | tf.TensorLike, b: Operand | tf.TensorLike): T {
  if (!hasOwnWasmKernels()) return tf.mul(a, b) as T;
  const $a = asFloat32(a as Operand);
  const $b = asFloat32(b as Operand);
  if (!$a || !$b) return tf.mul(a, b) as T;
  const out = tf.engine().runKernel(OWN_MULTIPLY, { a: $a, b: $b }) as T;
  if ($a !== a) $a.dispose();
  if ($b !== b) $b.dispose();
  return out;
}

/** tf.matMul. */
export function matMul<T extends tf.Tensor>(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): T {
  if (!hasOwnWasmKernels() || a.dtype !== 'float32' || b.dtype !== 'float32') return tf.matMul(a, b, transposeA, transposeB) as T;
  return tf.engine().runKernel(OWN_BATCH_MATMUL, { a, b }, { transposeA, transposeB }) as T;
}

/** tf.slice. */
export function slice<T extends tf.Tensor>(x: T, begin: number | number[], size?: number | number[]): T {
  if (!hasOwnWasmKernels() || x.rank === 0 || x.dtype === 'string') return tf.slice(x, begin, size);
  return tf.engine().runKernel(OWN_SLICE, { x }, { begin, size } as unknown as tf.NamedAttrMap) as T;
}

/**
 * WebGPU's default limit of storage buffers per shader stage is 8 (tfjs's AddN binds one per
 * operand and one for the result; more is a validation error whose result is garbage), and
 * WebGL samples at most 16 textures: on the GPU backends a sum of many tensors is taken in
 * groups of 7.
 */
const ADDN_GROUP = 7;

/** tf.addN, in groups of ADDN_GROUP on webgl and webgpu. */
export function addN<T extends tf.Tensor>(xs: T[]): T {
  const gpu = ['webgl', 'webgpu'].includes(tf.getBackend());
  if (!gpu || xs.length <= ADDN_GROUP) return tf.addN(xs);
  const sums: T[] = [];
  for (let i = 0; i < xs.length; i += ADDN_GROUP) {
    const group = xs.slice(i, i + ADDN_GROUP);
    sums.push(group.length === 1 ? group[0] : tf.addN(group));
  }
  return addN(sums);
}

let gradientsRegistered = false;

/** The gradients of the three kernels (under their own names; called by ./wasm-kernels.ts). */
export function registerOwnGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  const { assertAndGetBroadcastShape, getReductionAxes } = tf.broadcast_util;
  /** d(a*b)/da = dy * b, summed over a's broadcast axes (tfjs's Multiply gradient without the Cast of a float32 operand) */
  const reduceTo = (res: tf.Tensor, shape: number[], outShape: number[]) => {
    const axes = getReductionAxes(shape, outShape);
    return axes.length > 0 ? tf.reshape(tf.sum(res, axes), shape) : res;
  };
  tf.registerGradient({
    kernelName: OWN_MULTIPLY,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      const outShape = assertAndGetBroadcastShape(a.shape, b.shape);
      const d = dy as tf.Tensor;
      return { a: () => reduceTo(mul(d, b), a.shape, outShape), b: () => reduceTo(mul(d, a), b.shape, outShape) };
    },
  });
  // tfjs's BatchMatMul gradient, with this module's matMul
  tf.registerGradient({
    kernelName: OWN_BATCH_MATMUL,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const d = dy as tf.Tensor;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return { a: () => matMul(d, b, false, true), b: () => matMul(a, d, true, false) };
      if (!transposeA && transposeB) return { a: () => matMul(d, b, false, false), b: () => matMul(d, a, true, false) };
      if (transposeA && !transposeB) return { a: () => matMul(b, d, false, true), b: () => matMul(a, d, false, false) };
      return { a: () => matMul(b, d, true, true), b: () => matMul(d, a, true, true) };
    },
  });
  // tfjs's Slice gradient: the slice padded back to the input's shape
  tf.registerGradient({
    kernelName: OWN_SLICE,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { begin, size } = attrs as unknown as { begin: number | number[]; size?: number | number[] };
      const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
      const paddings = x.shape.map((n, i) => [b[i], n - b[i] - s[i]] as [number, number]);
      return { x: () => tf.pad(dy as tf.Tensor, paddings) };
    },
  });
}
