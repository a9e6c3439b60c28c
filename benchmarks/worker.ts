/**
 * The measurements in one process and one backend (spawned by ./run.ts with --worker).
 * Prints one JSON line (the last line of stdout) with the results.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../src/platform/node';
import { useBackend } from '../src/backend';
import { clearPlanCache, getPlan, type Plan } from '../src/plan';
import { computeComponents } from '../src/compute';
import { computeAsync } from '../src/readback';
import { computeInBatches, defaultMaxBatch } from '../src/batches';
import { dawnAdapter } from '../src/platform/node';
import { caseInputs, readCaseFile, type CaseInputs } from '../src/cli/case-file';
import type { CosmologyInput } from '../src/input/linear-stage';
import { assembleAll, pkGgL0, pkGgL2, pkGgL4, type Bias } from '../src/assembly/spectra';
import { FIDUCIAL_CASE, stats, variantFactors, type Stats } from './common';
import { runProfile, type ProfileResult } from './profile';

export interface WorkerOptions {
  backend: string;
  reps: { forward: number; batch: number; grad: number; warm: number };
  batch: number;
  profile: boolean;
  profileBatch: boolean;
  planProfile: boolean;
  skipBatch: boolean;
  /** batch sizes of the sweep (empty: none) and the time one point may take before the larger ones are skipped */
  sweep?: number[];
  sweepBudgetMs?: number;
}

export interface SweepPoint {
  batch: number;
  /** computeComponents calls (src/batches.ts: at most defaultMaxBatch cosmologies each) */
  calls?: number;
  /** one forward of the whole batch (components 'spectra' + 12 spectra, read back), ms */
  ms?: number;
  per_cosmology_ms?: number;
  cosmologies_per_s?: number;
  skipped?: string;
}

export interface WorkerResult {
  backend: string;
  wasm_threads?: number;
  wasm_multithread_supported?: boolean;
  wasm_simd?: boolean;
  n: number;
  n_out: number;
  backend_init_ms: number;
  plan_build_ms: number;
  plan_parts_ms: Record<string, number>;
  first_forward_ms: number;
  forward: Stats;
  /** the forward with all 48 rows (components: 'all', incl. the float64 pure-AP rows) + 12 spectra */
  forward_all: Stats;
  /** the batch with all 48 rows (one run) */
  batch_all?: Stats & { per_cosmology_ms: number };
  batch?: Stats & { batch: number; per_cosmology_ms: number };
  grad: Stats;
  /** how f was differentiated: computeComponents with tensor inputs (or the assembly only) */
  grad_mode: GradMode;
  grad_note: string;
  /** gradient w.r.t. everything available (nuisance, f, hratio, Dratio, r_s, P_lin) */
  grad_full: Stats;
  grad_full_wrt: string[];
  grad_assembly_only: Stats;
  grad_wrt: string[];
  grad_not_available: string[];
  grad_check: { S_compute: number; S_tensor_path: number; rel_diff: number; dS_df: number; dS_db1: number };
  leaked_tensors: number;
  /** the batch-size sweep: throughput for 1 .. 1024 cosmologies per call */
  batch_sweep?: SweepPoint[];
  /** WebGPU under Node: the Dawn adapter in use */
  webgpu_adapter?: string;
  profile?: ProfileResult;
}

type GradMode = 'computeComponents' | 'assembly-only';

/** The forward settings of a case (IR, RSD, AP, bias switches). */
export type ForwardSettings = CaseInputs['options'];

const NUISANCE_GG = ['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'cs2', 'cs4', 'Pshot', 'a0', 'a2', 'b4'] as const;

function settingsOf(inputs: CaseInputs): ForwardSettings {
  return { ...inputs.options };
}

export function batchOf(inputs: CaseInputs, batch: number): CosmologyInput[] {
  const c = inputs.cosmology;
  return Array.from({ length: batch }, (_, i) => {
    const v = variantFactors(i, batch);
    return {
      ...c,
      pkMpc3: Array.from(c.pkMpc3 as ArrayLike<number>, (p) => p * v.amp),
      f: (c.f as number) * v.f,
      hratio: (c.hratio as number) * v.hr,
      Dratio: (c.Dratio as number) * v.dr,
    };
  });
}

/** One forward as a user runs it: components, all 12 spectra, read back (`inBatches`: through computeInBatches). */
export async function forwardOnce(
  plan: Plan,
  inputs: CaseInputs,
  cosmologies: CosmologyInput[],
  spectra = true,
  components: 'all' | 'spectra' = 'all',
  inBatches = false,
): Promise<void> {
  // computeAsync: a plain call on every backend that reads synchronously (WebGPU under Node does not)
  const options = { ...inputs.options, kOutMpc: inputs.kOutMpc, components };
  const result = inBatches ? await computeInBatches(plan, cosmologies, options) : await computeAsync(() => computeComponents(plan, cosmologies, options));
  const reads: Promise<unknown>[] = Object.values(result.components).map((t) => t.data());
  let out: tf.Tensor[] = [];
  if (spectra) {
    const f = cosmologies.length === 1 ? (cosmologies[0].f as number) : tf.tensor1d(cosmologies.map((c) => c.f as number));
    out = Object.values(
      assembleAll(result.components, inputs.bias as Bias, { h: inputs.h, f, kOutMpc: inputs.kOutMpc }),
    ).filter((t): t is tf.Tensor => t !== undefined);
    if (f instanceof tf.Tensor) out.push(f);
    reads.push(...out.map((t) => t.data()));
  }
  await Promise.all(reads);
  tf.dispose(out);
  result.dispose();
}

/**
 * V8 runs new wasm (tfjs-backend-wasm, the quadratic-forms kernel) and JavaScript in baseline
 * tiers first and tiers up hot code in the background, so a warm-up of one or two runs can leave
 * the first timed runs in slower code: warm up for at least WARM_UP_MS as well (at most 25 runs).
 */
const WARM_UP_MS = 1500;

async function timeRuns(warm: number, reps: number, fn: () => Promise<void>): Promise<Stats> {
  const start = performance.now();
  for (let i = 0; i < warm || (warm > 0 && i < 25 && performance.now() - start < WARM_UP_MS); i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    runs.push(performance.now() - t0);
  }
  return stats(runs);
}

/** S = sum over k in [0.005, 0.3] h/Mpc of gg_l0 + gg_l2 + gg_l4, (Mpc/h)^3. */
function sOf(c: Record<string, tf.Tensor>, p: Record<string, tf.Tensor | number>, f: tf.Tensor | number, inputs: CaseInputs, mask: tf.Tensor): tf.Tensor {
  const ctx = { h: inputs.h, f, kOutMpc: inputs.kOutMpc };
  const bias = p as unknown as Parameters<typeof pkGgL0>[1];
  const sum = tf.addN([pkGgL0(c, bias, ctx), pkGgL2(c, bias as never, ctx), pkGgL4(c, bias as never, ctx)]);
  return tf.sum(tf.mul(sum, mask));
}

export async function runWorker(opts: WorkerOptions): Promise<WorkerResult> {
  const t0 = performance.now();
  const backend = await useBackend(opts.backend);
  const backendInitMs = performance.now() - t0;
  const extra: Partial<WorkerResult> = {};
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    extra.wasm_threads = wasm.getThreadsCount();
    extra.wasm_multithread_supported = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    extra.wasm_simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  }
  const inputs = caseInputs(readCaseFile(FIDUCIAL_CASE));
  const settings = settingsOf(inputs);
  const one = [inputs.cosmology];

  // plan build: base plan and each lazy kernel set (fresh process: nothing cached)
  clearPlanCache();
  const parts: Record<string, number> = {};
  let t = performance.now();
  const plan = getPlan({ n: inputs.n });
  parts['getPlan (FFTLog basis, M22, M13)'] = performance.now() - t;
  t = performance.now();
  plan.rsdIrOn();
  parts['plan.rsdIrOn()'] = performance.now() - t;
  t = performance.now();
  plan.bias();
  parts['plan.bias()'] = performance.now() - t;
  t = performance.now();
  plan.biasHost();
  parts['plan.biasHost()'] = performance.now() - t;
  const planBuildMs = Object.values(parts).reduce((a, b) => a + b, 0);
  const baseTensors = tf.memory().numTensors;
  // kernel blocks a plan makes on first use and keeps (plan state, not a leak): counted from here
  const kernelSets = () => [plan.matter.p22, plan.rsdIrOn().p22.kernels, plan.bias().real.kernels, plan.bias().rsd.kernels];
  const blocksOf = () => kernelSets().reduce((a, k) => a + (k.realBlock ? 1 : 0) + (k.half64Tensor ? 1 : 0), 0);
  const blocksAtBase = blocksOf();

  t = performance.now();
  await forwardOnce(plan, inputs, one);
  const firstForwardMs = performance.now() - t;

  // headline: the 12 spectra and the rows they use (components: 'spectra'); then all 48 rows
  const forward = await timeRuns(opts.reps.warm, opts.reps.forward, () => forwardOnce(plan, inputs, one, true, 'spectra'));
  const forwardAll = await timeRuns(1, backend === 'cpu' ? 1 : Math.max(3, Math.ceil(opts.reps.forward / 2)), () => forwardOnce(plan, inputs, one, true, 'all'));
  const leakedForward = tf.memory().numTensors - baseTensors;

  // gradient of S w.r.t. the nuisance parameters and f (+ optionally hratio, Dratio, r_s, P_lin)
  const kh = inputs.kOutMpc.map((k) => k / inputs.h);
  const mask = tf.tensor2d([kh.map((k) => (k >= 0.005 && k <= 0.3 ? 1 : 0))]);
  const bias = inputs.bias as Record<string, number>;
  const names = [...NUISANCE_GG];
  const c0 = inputs.cosmology;
  type Extra = 'hratio' | 'Dratio' | 'rsDragMpc' | 'pkMpc3';
  /** S through computeComponents itself, with f (and `extra`) passed as tensors. */
  const viaCompute = (extra: Extra[]) => (...xs: tf.Tensor[]) => {
    const p: Record<string, tf.Tensor> = {};
    names.forEach((k, i) => (p[k] = xs[i]));
    const f = xs[names.length];
    const cosmo: Record<string, unknown> = { ...c0, f };
    extra.forEach((k, i) => (cosmo[k] = xs[names.length + 1 + i]));
    const r = computeComponents(plan, [cosmo as unknown as CosmologyInput], { ...inputs.options, kOutMpc: inputs.kOutMpc, components: 'spectra' });
    return sOf(r.components, p, f, inputs, mask);
  };
  const scalarOf: Record<Extra, () => tf.Tensor> = {
    hratio: () => tf.scalar(c0.hratio as number),
    Dratio: () => tf.scalar(c0.Dratio as number),
    rsDragMpc: () => tf.scalar(c0.rsDragMpc as number),
    pkMpc3: () => tf.tensor1d(Array.from(c0.pkMpc3 as ArrayLike<number>)),
  };
  const gradOnce = async (mode: GradMode, extra: Extra[]): Promise<{ S: number; g: number[] }> => {
    const args = [...names.map((k) => tf.scalar(bias[k])), tf.scalar(c0.f as number), ...extra.map((k) => scalarOf[k]())];
    try {
      void mode;
      const fn = viaCompute(extra);
      const res = tf.tidy(() => {
        const { value, grads } = tf.valueAndGrads(fn)(args);
        return [value, ...grads];
      });
      const data = await Promise.all(res.map((x) => x.data()));
      tf.dispose(res);
      return { S: data[0][0], g: data.slice(1).map((d) => d[0]) };
    } finally {
      tf.dispose(args);
    }
  };
  // f is differentiated through computeComponents with tensor inputs
  let gradMode: GradMode = 'assembly-only';
  const notes: string[] = [];
  const short = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0].slice(0, 140);
  for (const mode of ['computeComponents'] as const) {
    try {
      const probe = await gradOnce(mode, []);
      const df = probe.g[names.length];
      if (!Number.isFinite(df) || df === 0) throw new Error(`dS/df = ${df}`);
      gradMode = mode;
      break;
    } catch (e) {
      notes.push(`computeComponents with f as a tensor: ${short(e)}`);
    }
  }
  let fullExtra: Extra[] = ['hratio', 'Dratio', 'rsDragMpc', 'pkMpc3'];
  const notAvailable: string[] = [];
  if (gradMode === 'assembly-only') {
    fullExtra = [];
    notAvailable.push('f, hratio, Dratio, rs_drag_Mpc, P_lin through the loops (no working reverse pass in this src on this backend); grad_ms is the assembly-only gradient');
  } else {
    try {
      await gradOnce(gradMode, fullExtra);
    } catch (e) {
      fullExtra = ['hratio', 'Dratio'];
      notAvailable.push(`rs_drag_Mpc, P_lin (${short(e)})`);
    }
  }
  const runMode = gradMode === 'assembly-only' ? null : gradMode;
  const afterProbe = tf.memory().numTensors; // a failed probe may leave its tape's tensors behind
  // the probe above was the warm-up
  let tensorPath: { S: number; g: number[] } = { S: NaN, g: [] };
  const grad = runMode ? await timeRuns(opts.reps.warm, opts.reps.grad, async () => void (tensorPath = await gradOnce(runMode, []))) : stats([]);
  const gradFull = runMode ? await timeRuns(opts.reps.warm, Math.max(1, Math.ceil(opts.reps.grad / 2)), async () => void (await gradOnce(runMode, fullExtra))) : stats([]);
  const gradNote = gradMode === 'computeComponents' ? '' : notes.join('; ');

  // check: S from computeComponents with number inputs vs the gradient path's S
  const ref = await computeAsync(() => computeComponents(plan, one, { ...inputs.options, kOutMpc: inputs.kOutMpc }));
  const sRefT = tf.tidy(() => sOf(ref.components, bias, c0.f as number, inputs, mask));
  const sRef = (await sRefT.data())[0];
  sRefT.dispose();

  // gradient w.r.t. the nuisance parameters and the explicit f with the components fixed
  const gradAssembly = await timeRuns(1, Math.max(3, opts.reps.grad), async () => {
    const args = [...names.map((k) => tf.scalar(bias[k])), tf.scalar(c0.f as number)];
    const res = tf.tidy(() => {
      const vg = tf.valueAndGrads((...xs: tf.Tensor[]) => {
        const p: Record<string, tf.Tensor> = {};
        names.forEach((k, i) => (p[k] = xs[i]));
        return sOf(ref.components, p, xs[names.length], inputs, mask);
      });
      const { value, grads } = vg(args);
      return [value, ...grads];
    });
    await Promise.all(res.map((x) => x.data()));
    tf.dispose([...res, ...args]);
  });
  ref.dispose();
  const gradHeadline = runMode ? grad : gradAssembly;

  let batch: WorkerResult['batch'];
  let batchAll: WorkerResult['batch_all'];
  if (!opts.skipBatch) {
    const cos = batchOf(inputs, opts.batch);
    // the cpu backend needs minutes per batch call: one run, no warm-up (it follows the forward runs)
    const slow = backend === 'cpu';
    const s = await timeRuns(opts.reps.warm > 0 && !slow ? 1 : 0, slow ? 1 : opts.reps.batch, () => forwardOnce(plan, inputs, cos, true, 'spectra'));
    batch = { ...s, batch: opts.batch, per_cosmology_ms: s.median / opts.batch };
    if (!slow) {
      const a = await timeRuns(0, 1, () => forwardOnce(plan, inputs, cos, true, 'all'));
      batchAll = { ...a, per_cosmology_ms: a.median / opts.batch };
    }
  }
  mask.dispose();
  // the real kernel blocks the matMul path (backends other than wasm) makes once and keeps with
  // the plan, and the float64 blocks the wasm path uploads once (src/loops/exact-loops.ts), are
  // plan state, not a leak
  const planBlocks = blocksOf() - blocksAtBase;
  const leaked = leakedForward + tf.memory().numTensors - afterProbe - planBlocks;

  // batch-size sweep: one forward per size after one warm-up call; sizes stop once a call exceeds the budget
  let sweep: SweepPoint[] | undefined;
  if (opts.sweep?.length) {
    sweep = [];
    let over = '';
    for (const size of opts.sweep) {
      if (over) {
        sweep.push({ batch: size, skipped: over });
        continue;
      }
      const cos = batchOf(inputs, size);
      try {
        const tw = performance.now();
        await forwardOnce(plan, inputs, cos, true, 'spectra', true); // warm-up (shapes new to the backend)
        const warmMs = performance.now() - tw;
        const r = warmMs > (opts.sweepBudgetMs ?? Infinity) ? stats([warmMs]) : await timeRuns(0, 1, () => forwardOnce(plan, inputs, cos, true, 'spectra', true));
        sweep.push({ batch: size, calls: Math.ceil(size / defaultMaxBatch(plan.n)), ms: r.median, per_cosmology_ms: r.median / size, cosmologies_per_s: (1000 * size) / r.median });
        if (r.median > (opts.sweepBudgetMs ?? Infinity)) over = `the batch of ${size} took ${(r.median / 1000).toFixed(0)} s, over the budget of ${((opts.sweepBudgetMs ?? 0) / 1000).toFixed(0)} s per point`;
      } catch (e) {
        over = `batch of ${size}: ${String((e as Error)?.message ?? e).split('\n')[0].slice(0, 160)}`;
        sweep.push({ batch: size, skipped: over });
      }
    }
  }

  let profile: ProfileResult | undefined;
  if (opts.profile) {
    profile = await runProfile(plan, inputs, settings, {
      backend,
      batch: opts.profileBatch ? opts.batch : 0,
      planParts: opts.planProfile,
      reps: backend === 'cpu' ? 1 : 3,
    });
  }

  return {
    backend,
    ...extra,
    ...(backend === 'webgpu' && dawnAdapter ? { webgpu_adapter: dawnAdapter } : {}),
    batch_sweep: sweep,
    n: inputs.n,
    n_out: inputs.kOutMpc.length,
    backend_init_ms: backendInitMs,
    plan_build_ms: planBuildMs,
    plan_parts_ms: parts,
    first_forward_ms: firstForwardMs,
    forward,
    forward_all: forwardAll,
    batch,
    batch_all: batchAll,
    grad: gradHeadline,
    grad_mode: gradMode,
    grad_note: gradNote,
    grad_full: gradFull,
    grad_full_wrt: runMode ? [...names, 'f', ...fullExtra] : [],
    grad_assembly_only: gradAssembly,
    grad_wrt: [...names, 'f'],
    grad_not_available: notAvailable,
    grad_check: {
      S_compute: sRef,
      S_tensor_path: tensorPath.S,
      rel_diff: Math.abs(tensorPath.S - sRef) / Math.abs(sRef),
      dS_df: tensorPath.g[names.length],
      dS_db1: tensorPath.g[0],
    },
    leaked_tensors: leaked,
    profile,
  };
}
