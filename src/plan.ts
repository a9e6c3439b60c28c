/**
 * The plan: everything that depends on the FFTLog size N only (kernel matrices, FFTLog maps),
 * built once in float64 on the host, uploaded as float32 tensors, and shared by every cosmology
 * and every call. CLASS-PT reads the same matrices from `pt_matrices/` in `nonlinear_pt_init`;
 * here they come from their analytic Gamma-function formulas (src/kernels) for any N.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fftlogDelta, FFTLOG_KMIN_HMPC } from './fftlog/grid';
import { secondDerivativeOperator } from './numerics/output-spline';
import { biasIFG2, biasJ, matterM13, matterM22 } from './kernels/matrices';
import { M22_DEN, P13_MU_POWERS, P13_MULTIPOLES, P22_MU_POWERS, P22_MULTIPOLES } from './kernels/rsd-matter';
import { BIAS_FFTLOG_BIAS, BIAS_MULTIPOLES, BIAS_REAL_SPACE } from './kernels/bias';
import { fPowerMatrices, type ComplexArray } from './kernels/f-power-kernels';
import type { HostBiasKernels } from './redshift/pure-ap-float64';
import { buildFnlKernels, fnlHostKernels, fnlHostMatrices, type FnlHostMatrices, type FnlKernels } from './loops/fnl-loops';
import type { FnlHostKernels } from './redshift/fnl-float64';
import {
  buildFPowerDot,
  buildFPowerQuadratic,
  type FPowerDot,
  type FPowerQuadratic,
  type FormulaSet,
} from './loops/f-power-sets';
import {
  createTensorBasis,
  disposeTensorBasis,
  packDotKernels,
  packQuadraticKernels,
  type DotKernels,
  type QuadraticKernels,
  type TensorBasis,
} from './loops/tensor-basis';

/** FFTLog bias of the matter loops (CLASS-PT `nonlinear_pt_loop`: `b = -0.3`). */
export const MATTER_FFTLOG_BIAS = -0.3;

export interface PlanOptions {
  /** FFTLog size N (CLASS-PT: 128 "Fast", 256 default, 512 "Precise"); any even N >= 16 works. */
  n?: number;
}

export interface MatterKernels {
  basis: TensorBasis;
  /** P22: the M22 matrix */
  p22: QuadraticKernels;
  /** P13: the M13 vector */
  p13: DotKernels;
}

/** Redshift-space matter kernels, split in powers of f. */
export interface RsdMatterKernels {
  p22: FPowerQuadratic;
  p13: FPowerDot;
}

/** Bias-operator kernels on the b = -1.6000001 basis. */
export interface BiasKernels {
  basis: TensorBasis;
  /** real-space Id2d2 (2J), Id2, IG2, Id2G2, IG2G2 (f-independent) */
  real: FPowerQuadratic;
  /** redshift-space bias multipole kernels, split in powers of f */
  rsd: FPowerQuadratic;
  /** IFG2 (P13-type) */
  ifg2: DotKernels;
}

export interface Plan {
  readonly n: number;
  /** k_j / h on the FFTLog grid (h-independent), float64 */
  readonly kOverH: Float64Array;
  /** UV damping exp(-(k/(3h))^6) on the grid (CLASS-PT `cutoff = 3 h`), h-independent */
  readonly uvDamping: Float64Array;
  readonly matter: MatterKernels;
  /** IR-on μ-power kernels (built on first use) */
  rsdIrOn(): RsdMatterKernels;
  /** IR-off multipole kernels (built on first use) */
  rsdIrOff(): RsdMatterKernels;
  /** bias-operator kernels (built on first use) */
  bias(): BiasKernels;
  /** float64 host kernels of the pure-AP rows (built on first use) */
  biasHost(): HostBiasKernels;
  /** primordial non-Gaussianity M12 kernels, both templates (built on first use) */
  fnl(): FnlKernels;
  /** float64 host kernels of the redshift-space fNL rows (built on first use) */
  fnlHost(): FnlHostKernels;
  /** [N, N] natural-spline second-derivative operator D^T on the nodes k/h (see output-spline) */
  readonly splineSecondDerivativeT: tf.Tensor2D;
  /** seconds spent building the plan */
  readonly buildSeconds: number;
  dispose(): void;
}

const cache = new Map<number, Plan>();

function validateN(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 16 || n % 2 !== 0 || n > 4096) {
    throw new RangeError(`option n (FFTLog size) must be an even integer in [16, 4096], got ${String(n)}`);
  }
  return n;
}

/** Builds (or returns the cached) plan for FFTLog size N. */
export function getPlan(options: PlanOptions = {}): Plan {
  const n = validateN(options.n ?? 256);
  const cached = cache.get(n);
  if (cached) return cached;
  const plan = buildPlan(n);
  cache.set(n, plan);
  return plan;
}

/** Disposes every cached plan (their tensors). */
export function clearPlanCache(): void {
  for (const plan of cache.values()) plan.dispose();
  cache.clear();
}

/** Keeps every tensor reachable from a freshly built kernel set (it may be built inside tidy). */
function keepAll<T>(value: T): T {
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) return; // host arrays (the float64 kernel blocks): nothing to keep inside
    if (v instanceof tf.Tensor) tf.keep(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return value;
}

function disposeAll(value: unknown): void {
  if (ArrayBuffer.isView(value)) return;
  if (value instanceof tf.Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeAll);
  else if (value && typeof value === 'object') Object.values(value).forEach(disposeAll);
}

function withDenominator(set: Record<string, string>, denominator: string, scale = ''): FormulaSet {
  const out: FormulaSet = {};
  for (const [name, numerator] of Object.entries(set)) out[name] = { numerator: `${scale}(${numerator})`, denominator };
  return out;
}

function buildRsdMatter(basis: TensorBasis, m22: ComplexArray, m13: ComplexArray, irOn: boolean): RsdMatterKernels {
  // P22: base = M22 * 196 / DEN (CLASS-PT), P13: M13 / (1 + 9 nu)
  const p22 = irOn ? P22_MU_POWERS : P22_MULTIPOLES;
  const p13 = irOn ? P13_MU_POWERS : P13_MULTIPOLES;
  return {
    p22: buildFPowerQuadratic(basis, m22, withDenominator(p22, M22_DEN, '196*'), true), // values in float64 (loops/exact-loops)
    p13: buildFPowerDot(basis, m13, withDenominator(p13, '1 + 9*nu')),
  };
}

/** The float64 bias kernels, per name and power of f (shared by the tensor and host paths). */
function biasMatrices(n: number) {
  const j = biasJ(n);
  const build = (set: Record<string, { numerator: string; denominator?: string }>) => {
    const out: HostBiasKernels = {};
    for (const [name, { numerator, denominator }] of Object.entries(set)) {
      out[name] = fPowerMatrices(n, BIAS_FFTLOG_BIAS, j, numerator, denominator);
    }
    return out;
  };
  return { real: build(BIAS_REAL_SPACE), rsd: build(BIAS_MULTIPOLES) };
}

function packFPowers(basis: TensorBasis, set: HostBiasKernels): FPowerQuadratic {
  const matrices: Record<string, ComplexArray> = {};
  const terms: { name: string; power: number }[] = [];
  for (const [name, powers] of Object.entries(set)) {
    powers.forEach((m, power) => {
      if (!m) return;
      terms.push({ name, power });
      matrices[`${name}^${power}`] = m;
    });
  }
  return { terms, kernels: packQuadraticKernels(basis.shape, matrices) };
}

function buildBias(n: number, host: ReturnType<typeof biasMatrices>): BiasKernels {
  const basis = createTensorBasis(n, BIAS_FFTLOG_BIAS);
  return {
    basis,
    real: packFPowers(basis, host.real),
    rsd: packFPowers(basis, host.rsd),
    ifg2: packDotKernels(basis.shape, { IFG2: biasIFG2(n) }),
  };
}

/** The host kernels of the pure-AP rows, taken from the shared float64 bias matrices. */
function buildBiasHost(host: ReturnType<typeof biasMatrices>): HostBiasKernels {
  const pick = (set: HostBiasKernels, names: string[]) => Object.fromEntries(names.map((k) => [k, set[k]]));
  return {
    ...pick(host.real, ['Id2d2', 'Id2G2', 'IG2G2']),
    ...pick(host.rsd, ['0_b1b2', '2_b1b2', '0_b1bG2', '2_b1bG2']),
  };
}

function buildPlan(n: number): Plan {
  const t0 = performance.now();
  const delta = fftlogDelta(n);
  const kOverH = new Float64Array(n);
  const uvDamping = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    kOverH[j] = FFTLOG_KMIN_HMPC * Math.exp(j * delta);
    uvDamping[j] = Math.exp(-Math.pow(kOverH[j] / 3, 6));
  }
  const splineSecondDerivativeT = keepAll(secondDerivativeOperator(kOverH));
  const m22 = matterM22(n);
  const m13 = matterM13(n);
  // kept: a plan may first be built inside a tidy or a gradient scope
  const basis = keepAll(createTensorBasis(n, MATTER_FFTLOG_BIAS));
  const matter: MatterKernels = keepAll({
    basis,
    p22: packQuadraticKernels(basis.shape, { m22 }, true),
    p13: packDotKernels(basis.shape, { m13 }),
  });
  let disposed = false;
  let rsdOn: RsdMatterKernels | undefined;
  let rsdOff: RsdMatterKernels | undefined;
  let bias: BiasKernels | undefined;
  let biasHost: HostBiasKernels | undefined;
  let biasF64: ReturnType<typeof biasMatrices> | undefined;
  let fnl: FnlKernels | undefined;
  let fnlHost: FnlHostKernels | undefined;
  // both fNL sets come from one float64 build of the 42 matrices, which is then dropped
  const buildFnl = () => {
    const host: FnlHostMatrices = fnlHostMatrices(n);
    fnl = keepAll(buildFnlKernels(n, host));
    fnlHost = fnlHostKernels(n, host);
  };
  const biasShared = () => (biasF64 ??= biasMatrices(n));
  const plan: Plan = {
    n,
    kOverH,
    uvDamping,
    matter,
    splineSecondDerivativeT,
    rsdIrOn: () => (rsdOn ??= keepAll(buildRsdMatter(basis, m22, m13, true))),
    rsdIrOff: () => (rsdOff ??= keepAll(buildRsdMatter(basis, m22, m13, false))),
    bias: () => (bias ??= keepAll(buildBias(n, biasShared()))),
    biasHost: () => (biasHost ??= buildBiasHost(biasShared())),
    fnl: () => {
      if (!fnl) buildFnl();
      return fnl as FnlKernels;
    },
    fnlHost: () => {
      if (!fnlHost) buildFnl();
      return fnlHost as FnlHostKernels;
    },
    buildSeconds: (performance.now() - t0) / 1000,
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeTensorBasis(basis);
      disposeAll([matter, rsdOn, rsdOff, bias, fnl, splineSecondDerivativeT]);
      if (cache.get(n) === plan) cache.delete(n);
    },
  };
  return plan;
}
