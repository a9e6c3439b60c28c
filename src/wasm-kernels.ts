/**
 * Kernels of this library on tfjs-backend-wasm, all registered under names of our own (Clax*)
 * and called only from our code (../private-ops.ts and the loop and AP stages): the stock
 * kernels of the backend are never replaced, so a user's own tfjs model in the same process
 * runs exactly as it would without this library.
 *
 * 1. The P22-type anti-diagonal contraction (`ClaxQuadraticForms` and its reverse pass
 *    `ClaxQuadraticFormsGrad`), a WebAssembly SIMD module (./loops/quadratic-forms.wat) that
 *    works in the backend's own memory; ../loops/loop-integrals.ts uses it when present; and the
 *    float64 Legendre sums of the AP projection (`ClaxLegendreSums`).
 *
 * 2. `ClaxSlice`: the stock wasm Slice (tfjs-backend-wasm 4.x) starts with
 *    `backend.readSync(x.dataId)`, which copies the WHOLE input out of the wasm heap
 *    (`HEAPU8.slice`) before copying the requested part: taking one channel of a [B, C, J, G]
 *    tensor costs as much as copying all C channels, and rank-5 slices go through a generic
 *    element-by-element path. This kernel reads the input through a view of the heap instead
 *    (taken after the output is allocated, since an allocation may grow and detach the heap
 *    buffer) and copies contiguous runs for any rank. Same values; its gradient is a pad, as the
 *    stock one.
 *
 * 3. `ClaxBatchMatMul`: the stock kernel leaves XNNPACK for a generic loop when transposeA or
 *    transposeB is set (7.7 ms for [9912, 3] x [40, 3]^T, the reverse pass of a Legendre sum;
 *    every matMul's gradient has such flags), so the operand is transposed first (one
 *    Transpose) and the stock product runs with both flags off. Its gradient is the stock
 *    formula with this kernel.
 *
 * 4. `ClaxMultiply`: the stock Multiply kernel, with a gradient that does not Cast its float32
 *    operands to float32 (the stock gradient of every Multiply does, and the wasm Cast always
 *    copies: 211 copies in the reverse pass of S).
 */
import * as tf from '@tensorflow/tfjs-core';
import { QUADRATIC_FORMS_WASM } from './loops/quadratic-forms-wasm';
import { base64ToBytes } from './numerics/base64';
import { registerOwnGradients } from './private-ops';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
  incRef(dataId: tf.DataId): void;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { asm?: { memory?: object } };
}

export const QUADRATIC_FORMS = 'ClaxQuadraticForms';
export const LEGENDRE_SUMS = 'ClaxLegendreSums';
export const QUADRATIC_FORMS_GRAD = 'ClaxQuadraticFormsGrad';
/** the float64 forward contraction: float64 data travel as int32 pairs (an exact copy) */
export const QUADRATIC_FORMS_64 = 'ClaxQuadraticForms64';

interface QuadraticFormsExports {
  quadraticForms(x: number, y: number, blk: number, out: number, scr: number, B: number, nc: number, K: number, K4: number): void;
  quadraticFormsGrad(
    x: number, y: number, blk: number, dA: number, dx: number, dy: number, scr: number,
    B: number, nc: number, K: number, K4: number,
  ): void;
  legendreSums(x: number, w: number, out: number, R: number, G: number): void;
  quadraticForms64(x: number, y: number, blk: number, out: number, scr: number, B: number, nc: number, K: number, K4: number): void;
}

/** The part of the WebAssembly API used here (the project's TS lib has no DOM types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

let quadraticModule: { memory: object; exports: QuadraticFormsExports } | undefined;

/** The SIMD module, instantiated on the backend's memory (once per memory). */
function quadraticFormsModule(backend: WasmBackendLike): QuadraticFormsExports {
  const memory = backend.wasm.asm?.memory;
  if (!memory) throw new Error('tfjs-backend-wasm does not expose its memory');
  if (quadraticModule?.memory !== memory) {
    const module = new wasmApi.Module(base64ToBytes(QUADRATIC_FORMS_WASM));
    const instance = new wasmApi.Instance(module, { env: { memory } });
    quadraticModule = { memory, exports: instance.exports as QuadraticFormsExports };
  }
  return quadraticModule.exports;
}

/** Byte offset of a tensor's data in the wasm heap. */
function heapOffset(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error('tensor not on the wasm backend');
  return entry.memoryOffset;
}

/** A zeroed float32 tensor in the heap. */
function zeros(backend: WasmBackendLike, shape: number[]): tf.TensorInfo {
  const s = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(s).fill(0);
  return s;
}

type QuadraticAttrs = { K: number; K4: number };

/** The same in float64: x, y [B, 4nc], block [ns, h+1, 4K4] int32 holding float64 -> [B, K, 2, 2N] (float64 as int32 pairs). */
function quadraticForms64Kernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, y, block } = args.inputs as { x: tf.TensorInfo; y: tf.TensorInfo; block: tf.TensorInfo };
  const { K, K4 } = args.attrs as unknown as QuadraticAttrs;
  const [B, fourNc] = x.shape;
  const nc = fourNc / 4;
  const out = backend.makeOutput([B, K, 2, 2 * (nc - 1)], 'int32');
  backend.typedArrayFromHeap(out).fill(0);
  const scr = backend.makeOutput([4 * (nc + 1)], 'int32'); // (Re, Im) float64 S per visited row
  const wasm = quadraticFormsModule(backend);
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  wasm.quadraticForms64(at(x), at(y), at(block), at(out), at(scr), B, nc, K, K4);
  backend.disposeData(scr.dataId);
  return out;
}

/** x, y [B, 2nc], block [ns, h+1, 2K4] -> [B, K, 2, N], folded modulo N (see quadratic-forms.wat). */
function quadraticFormsKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, y, block } = args.inputs as { x: tf.TensorInfo; y: tf.TensorInfo; block: tf.TensorInfo };
  const { K, K4 } = args.attrs as unknown as QuadraticAttrs;
  const [B, twoNc] = x.shape;
  const nc = twoNc / 2;
  const out = zeros(backend, [B, K, 2, nc - 1]);
  const scr = zeros(backend, [nc + 1]); // (Re, Im) S per visited row
  const wasm = quadraticFormsModule(backend);
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  wasm.quadraticForms(at(x), at(y), at(block), at(out), at(scr), B, nc, K, K4);
  backend.disposeData(scr.dataId);
  return out;
}

/** x, y, block, dA [B, K, 2, N] -> [dx, dy], each [B, 2nc]. */
function quadraticFormsGradKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { x, y, block, dA } = args.inputs as { x: tf.TensorInfo; y: tf.TensorInfo; block: tf.TensorInfo; dA: tf.TensorInfo };
  const { K, K4 } = args.attrs as unknown as QuadraticAttrs;
  const [B, twoNc] = x.shape;
  const dx = zeros(backend, [B, twoNc]);
  const dy = zeros(backend, [B, twoNc]);
  const scr = zeros(backend, [2 * K4]); // dA of one (b, s), zero lanes beyond K
  const wasm = quadraticFormsModule(backend);
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  wasm.quadraticFormsGrad(at(x), at(y), at(block), at(dA), at(dx), at(dy), at(scr), B, twoNc / 2, K, K4);
  backend.disposeData(scr.dataId);
  return [dx, dy];
}

/** x [R, G] float32, w: the float64 weights [G, 3] as int32 pairs -> [R, 3] (float64 sums). */
function legendreSumsKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, w } = args.inputs as { x: tf.TensorInfo; w: tf.TensorInfo };
  const [R, G] = x.shape;
  const out = backend.makeOutput([R, 3], 'float32');
  quadraticFormsModule(backend).legendreSums(heapOffset(backend, x), heapOffset(backend, w), heapOffset(backend, out), R, G);
  return out;
}

let quadraticInstalled = false;

function installQuadraticForms(): void {
  if (quadraticInstalled) return;
  tf.registerKernel({ kernelName: QUADRATIC_FORMS, backendName: 'wasm', kernelFunc: quadraticFormsKernel as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: QUADRATIC_FORMS_GRAD, backendName: 'wasm', kernelFunc: quadraticFormsGradKernel as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: LEGENDRE_SUMS, backendName: 'wasm', kernelFunc: legendreSumsKernel as unknown as tf.KernelFunc });
  tf.registerKernel({ kernelName: QUADRATIC_FORMS_64, backendName: 'wasm', kernelFunc: quadraticForms64Kernel as unknown as tf.KernelFunc });
  quadraticInstalled = true;
}

/** Whether the active backend runs the fused quadratic forms (wasm, with its memory exposed). */
export function hasQuadraticFormsKernel(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  installWasmKernels();
  return quadraticInstalled && (tf.backend() as unknown as WasmBackendLike).wasm.asm?.memory !== undefined;
}

/** The stock wasm kernel `name` (read, never replaced). */
function stock(name: string): tf.KernelConfig {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`tfjs-backend-wasm has no ${name} kernel`);
  return k;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown };

export const OWN_SLICE = 'ClaxSlice';
export const OWN_BATCH_MATMUL = 'ClaxBatchMatMul';
export const OWN_MULTIPLY = 'ClaxMultiply';

/** Slice through a heap view (see 2. above). */
function fastSlice(args: KernelArgs): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const backend = args.backend as WasmBackendLike;
  const attrs = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  if (x.dtype === 'string') return stock('Slice').kernelFunc(args as never) as tf.TensorInfo;
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

/** BatchMatMul with explicit transposes (see 3. above). */
function matMulTransposedFirst(args: KernelArgs): tf.TensorInfo {
  const run = stock('BatchMatMul').kernelFunc;
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  if (!attrs.transposeA && !attrs.transposeB) return run(args as never) as tf.TensorInfo;
  const backend = args.backend as WasmBackendLike;
  const transpose = stock('Transpose');
  const swapLast = (t: tf.TensorInfo) => {
    const perm = t.shape.map((_, i) => i);
    perm.splice(-2, 2, perm.length - 1, perm.length - 2);
    return transpose.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend } as never) as tf.TensorInfo;
  };
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const a2 = attrs.transposeA ? swapLast(a) : a;
  const b2 = attrs.transposeB ? swapLast(b) : b;
  const out = run({ ...args, inputs: { a: a2, b: b2 }, attrs: { ...attrs, transposeA: false, transposeB: false } } as never) as tf.TensorInfo;
  if (a2 !== a) backend.disposeData(a2.dataId);
  if (b2 !== b) backend.disposeData(b2.dataId);
  return out;
}

/** The stock Multiply kernel under our name (its gradient differs, see 4. above). */
function multiply(args: KernelArgs): tf.TensorInfo {
  return stock('Multiply').kernelFunc(args as never) as tf.TensorInfo;
}

let ownInstalled = false;

/**
 * Registers this library's wasm kernels under their own names (idempotent; a no-op on other
 * backends). No stock kernel or gradient is touched.
 */
export function installWasmKernels(): void {
  if (tf.getBackend() !== 'wasm') return;
  installQuadraticForms();
  if (ownInstalled) return;
  const own = (kernelName: string, kernelFunc: unknown) =>
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  own(OWN_SLICE, fastSlice);
  own(OWN_BATCH_MATMUL, matMulTransposedFirst);
  own(OWN_MULTIPLY, multiply);
  registerOwnGradients();
  ownInstalled = true;
}

/** Whether the active backend runs this library's own wasm kernels (../private-ops.ts). */
export function hasOwnWasmKernels(): boolean {
  if (tf.getBackend() !== 'wasm') return false;
  installWasmKernels();
  return ownInstalled && useOwnKernels;
}

let useOwnKernels = true;

/** For A/B measurements and tests: route ../private-ops.ts to the stock ops (false) or ours. */
export function setOwnWasmKernels(on: boolean): void {
  useOwnKernels = on;
}

/** Earlier names of the switch above (benchmarks/ab.ts --stock-slice, tests). */
export const uninstallWasmKernels = (): void => setOwnWasmKernels(false);
