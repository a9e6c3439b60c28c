/**
 * The per-stage profile (`npm run bench -- --profile`): stage timings of the forward (through
 * computeComponents' `profile` stage hook), the host linear stage in parts,
 * the plan build per kernel set and in parts, kernel (op) statistics from tf.profile, the
 * synchronisation points of computeComponents, and micro-measurements that verify the hotspots.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../src/plan';
import { MATTER_FFTLOG_BIAS } from '../src/plan';
import { computeComponents } from '../src/compute';
import type { CaseInputs } from '../src/cli/case-file';
import { fftlogGrid } from '../src/fftlog/grid';
import { logPowerInterpolator, sigmaV2, type LinearPowerInput } from '../src/input/linear-power';
import { irResummation } from '../src/ir/resummation';
import { logKPowerOnIrGrid, noWiggleSpectrum, removeBaoHarmonics } from '../src/ir/wiggle-split';
import { baoDampingScales } from '../src/ir/damping';
import { dst2, idst2 } from '../src/numerics/sine-transform';
import { splineOperator, splineSecondDerivatives } from '../src/numerics/spline';
import { outputSplineOperators, secondDerivativeOperators } from '../src/numerics/output-spline';
import { gaussLegendre } from '../src/numerics/gauss-legendre';
import { analysisMatrix, basisShape } from '../src/fftlog/decomposition';
import { biasIFG2, biasJ, matterM13, matterM22 } from '../src/kernels/matrices';
import { fPowerMatrices, fPowerVectors } from '../src/kernels/f-power-kernels';
import { compilePoly, parsePoly } from '../src/kernels/polynomial';
import { M22_DEN, P13_MU_POWERS, P22_MU_POWERS } from '../src/kernels/rsd-matter';
import { BIAS_FFTLOG_BIAS, BIAS_MULTIPOLES, BIAS_REAL_SPACE } from '../src/kernels/bias';
import { createTensorBasis, disposeTensorBasis, packQuadraticKernels } from '../src/loops/tensor-basis';
import { hostApMoments } from '../src/redshift/ap-moments';
import { hostQuadraticForm } from '../src/redshift/pure-ap-float64';
import { runLinearStage } from '../src/input/linear-stage';
import { assembleAll, type Bias } from '../src/assembly/spectra';
import { stats } from './common';
import { batchOf, forwardOnce, type ForwardSettings } from './worker';
import { runProposals, type ProposalRow } from './proposals';

export interface StageRow {
  name: string;
  ms: number;
  barrier_ms: number;
  calls: number;
  kernels: number;
  /** wall time inside kernel dispatches (rest of ms = JavaScript host work) */
  kernel_ms: number;
  top_kernels: string;
}

export interface StageProfile {
  batch: number;
  reps: number;
  total_ms: number;
  stages: StageRow[];
}

export interface TimedRow {
  name: string;
  ms: number;
  note?: string;
}

export interface ProfileResult {
  forward: StageProfile;
  forward_batch?: StageProfile;
  linear_stage: TimedRow[];
  plan?: TimedRow[];
  kernels: {
    count: number;
    kernel_ms: number;
    wall_ms: number;
    under_50us: number;
    top: { name: string; count: number; ms: number }[];
    slowest: { name: string; ms: number; shapes: string }[];
  };
  syncs: { count: number; ms: number; by_method: Record<string, number> };
  micro: TimedRow[];
  proposals: ProposalRow[];
}

export interface ProfileOptions {
  backend: string;
  batch: number;
  planParts: boolean;
  reps: number;
}

/**
 * Counts and times kernels dispatched through the engine (every tfjs op goes through
 * runKernel; on the synchronous wasm and cpu backends the call returns when the kernel is done,
 * so its wall time is dispatch + compute). Nested dispatches are attributed to the outer one.
 */
class KernelCounter {
  count = 0;
  ms = 0;
  readonly byName = new Map<string, { count: number; ms: number }>();
  private depth = 0;
  private readonly engine = tf.engine() as unknown as { runKernel: (...a: unknown[]) => unknown };
  private readonly original = this.engine.runKernel;
  install(): void {
    const orig = this.original;
    const engine = this.engine;
    this.engine.runKernel = (...a: unknown[]) => {
      if (this.depth > 0) return orig.apply(engine, a);
      this.depth++;
      const t0 = performance.now();
      try {
        return orig.apply(engine, a);
      } finally {
        this.depth--;
        const dt = performance.now() - t0;
        this.count++;
        this.ms += dt;
        const name = String(a[0]);
        const e = this.byName.get(name) ?? { count: 0, ms: 0 };
        e.count++;
        e.ms += dt;
        this.byName.set(name, e);
      }
    };
  }
  uninstall(): void {
    this.engine.runKernel = this.original;
  }
  snapshot(): { count: number; ms: number; byName: Map<string, { count: number; ms: number }> } {
    return { count: this.count, ms: this.ms, byName: new Map([...this.byName].map(([k, v]) => [k, { ...v }])) };
  }
}

function topKernels(before: Map<string, { count: number; ms: number }>, after: Map<string, { count: number; ms: number }>, k = 2): string {
  const rows: { name: string; count: number; ms: number }[] = [];
  for (const [name, v] of after) {
    const b = before.get(name) ?? { count: 0, ms: 0 };
    if (v.count > b.count) rows.push({ name, count: v.count - b.count, ms: v.ms - b.ms });
  }
  return rows
    .sort((a, b) => b.ms - a.ms)
    .slice(0, k)
    .map((r) => `${r.name} x${r.count} ${r.ms.toFixed(1)}`)
    .join(', ');
}

function median(xs: number[]): number {
  return stats(xs).median;
}

function timeMedian(reps: number, fn: () => unknown): number {
  const runs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return median(runs);
}

export async function stageProfile(plan: Plan, inputs: CaseInputs, settings: ForwardSettings, batch: number, reps: number): Promise<StageProfile> {
  void settings;
  const cos = batch === 1 ? [inputs.cosmology] : batchOf(inputs, batch);
  const perStage = new Map<string, { ms: number[]; calls: number; kernels: number[]; kernelMs: number[]; top: string }>();
  const order: string[] = [];
  const totals: number[] = [];
  const counter = new KernelCounter();
  for (let r = 0; r < reps; r++) {
    const records = new Map<string, { ms: number; calls: number; count: number; kms: number; top: string }>();
    // computeComponents' stage hook: wall time and kernels of each stage (stages may nest: the
    // inner ones are subtracted from the outer)
    const stack: { name: string; inner: number; innerCount: number; innerMs: number }[] = [];
    const record = (name: string, ms: number, count: number, kms: number, top: string) => {
      const e = records.get(name) ?? { ms: 0, calls: 0, count: 0, kms: 0, top: '' };
      e.ms += ms;
      e.calls++;
      e.count += count;
      e.kms += kms;
      e.top = top;
      if (!records.has(name)) {
        records.set(name, e);
        if (!perStage.has(name) && !order.includes(name)) order.push(name);
      }
    };
    const hook = <T>(name: string, run: () => T): T => {
      const k0 = counter.snapshot();
      const t0 = performance.now();
      stack.push({ name, inner: 0, innerCount: 0, innerMs: 0 });
      const out = run();
      const frame = stack.pop()!;
      const ms = performance.now() - t0;
      const k1 = counter.snapshot();
      const count = k1.count - k0.count;
      const kms = k1.ms - k0.ms;
      record(name, ms - frame.inner, count - frame.innerCount, kms - frame.innerMs, topKernels(k0.byName, k1.byName));
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.inner += ms;
        parent.innerCount += count;
        parent.innerMs += kms;
      }
      return out;
    };
    counter.install();
    const t0 = performance.now();
    try {
      const result = computeComponents(plan, cos, { ...inputs.options, kOutMpc: inputs.kOutMpc, profile: hook });
      const f = batch === 1 ? (cos[0].f as number) : tf.tensor1d(cos.map((c) => c.f as number));
      const spectra = hook('tensor: assembly of the 12 spectra (assembleAll, incl. Pd2d2)', () =>
        assembleAll(result.components, inputs.bias as Bias, { h: inputs.h, f, kOutMpc: inputs.kOutMpc }),
      );
      hook('read-back of every output', () => {
        for (const t of [...Object.values(result.components), ...(Object.values(spectra) as tf.Tensor[])]) if (t) t.dataSync();
      });
      tf.dispose([...(Object.values(spectra) as tf.Tensor[]), ...(f instanceof tf.Tensor ? [f] : [])]);
      result.dispose();
    } finally {
      counter.uninstall();
    }
    totals.push(performance.now() - t0);
    for (const [name, e] of records) {
      let st = perStage.get(name);
      if (!st) {
        st = { ms: [], calls: e.calls, kernels: [], kernelMs: [], top: '' };
        perStage.set(name, st);
      }
      st.ms.push(e.ms);
      st.kernels.push(e.count);
      st.kernelMs.push(e.kms);
      st.top = e.top;
    }
  }
  return {
    batch,
    reps,
    total_ms: median(totals),
    stages: order.map((name) => {
      const st = perStage.get(name)!;
      return {
        name,
        ms: median(st.ms),
        barrier_ms: 0,
        calls: st.calls,
        kernels: Math.round(median(st.kernels)),
        kernel_ms: median(st.kernelMs),
        top_kernels: st.top,
      };
    }),
  };
}

function linearStageProfile(inputs: CaseInputs, reps: number): TimedRow[] {
  const c = inputs.cosmology;
  const input: LinearPowerInput = { kMpc: Float64Array.from(c.kMpc), pkMpc3: Float64Array.from(c.pkMpc3 as ArrayLike<number>), nS: c.n_s as number };
  const grid = fftlogGrid(inputs.n, c.h as number).kMpc;
  const interp = logPowerInterpolator(input);
  const logKP = logKPowerOnIrGrid(interp);
  const c2 = dst2(logKP);
  const r = removeBaoHarmonics(c2);
  const nw = noWiggleSpectrum(interp);
  const rows: TimedRow[] = [
    { name: 'runLinearStage total (B = 1)', ms: timeMedian(reps, () => runLinearStage(inputs.n, [c], inputs.options)) },
    { name: '  input spline: ln P in ln k + P on the FFTLog grid', ms: timeMedian(reps, () => logPowerInterpolator(input).powerAt(grid)) },
    { name: '  sigma_v^2', ms: timeMedian(reps, () => sigmaV2(input)) },
    { name: '  IR split: irResummation total', ms: timeMedian(reps, () => irResummation({ input, kGridMpc: grid, h: c.h as number, rsDragMpc: c.rsDragMpc as number })) },
    { name: '    ln(kP) on the 65536-point DST grid (spline evals)', ms: timeMedian(reps, () => logKPowerOnIrGrid(interp)) },
    { name: '    DST-II, 65536 points', ms: timeMedian(reps, () => dst2(logKP)) },
    { name: '    remove BAO harmonics (spline refill)', ms: timeMedian(reps, () => removeBaoHarmonics(c2)) },
    { name: '    inverse DST-II, 65536 points', ms: timeMedian(reps, () => idst2(r)) },
    { name: '    spline y\'\' of P_nw on 65536 knots', ms: timeMedian(reps, () => splineSecondDerivatives(nw.knots, nw.pNw)) },
    { name: '    noWiggleSpectrum total', ms: timeMedian(reps, () => noWiggleSpectrum(interp)) },
    { name: '    Sigma^2, delta Sigma^2 (500-point integrals)', ms: timeMedian(reps, () => baoDampingScales(nw, c.h as number, c.rsDragMpc as number)) },
  ];
  return rows;
}

function planProfile(n: number): TimedRow[] {
  const rows: TimedRow[] = [];
  const time = <T>(name: string, fn: () => T, note?: string): T => {
    const t0 = performance.now();
    const out = fn();
    rows.push({ name, ms: performance.now() - t0, note });
    return out;
  };
  const nc = n + 1;
  const monomials = (text: string) => compilePoly(parsePoly(text.replace(/n12/g, '(n1+n2)'))).reduce((a, t) => a + t.length, 0);
  const m22 = time('Gamma kernels: matterM22 (N+1)^2 complex', () => matterM22(n));
  const m13 = time('Gamma kernels: matterM13', () => matterM13(n));
  const j = time('Gamma kernels: biasJ (N+1)^2 complex', () => biasJ(n));
  time('Gamma kernels: biasIFG2', () => biasIFG2(n));
  time('FFTLog bases: createTensorBasis x2 (host matrices + upload)', () => {
    disposeTensorBasis(createTensorBasis(n, MATTER_FFTLOG_BIAS));
    disposeTensorBasis(createTensorBasis(n, BIAS_FFTLOG_BIAS));
  });
  const setCost = (set: Record<string, { numerator: string; denominator?: string }>) =>
    Object.values(set).reduce((a, f) => a + monomials(f.numerator) + monomials(f.denominator ?? '1'), 0);
  const rsdSet = Object.fromEntries(Object.entries(P22_MU_POWERS).map(([k, v]) => [k, { numerator: `196*(${v})`, denominator: M22_DEN }]));
  const p22 = time(
    'f-power polynomials: rsdIrOn P22 (9 kernels)',
    () => Object.values(rsdSet).flatMap((f) => fPowerMatrices(n, MATTER_FFTLOG_BIAS, m22, f.numerator, f.denominator)),
    `${setCost(rsdSet)} monomials x ${nc * nc} entries`,
  );
  time('f-power polynomials: rsdIrOn P13 vectors', () =>
    Object.values(P13_MU_POWERS).flatMap((v) => fPowerVectors(n, MATTER_FFTLOG_BIAS, m13, v, '1 + 9*nu')),
  );
  const real = time(
    'f-power polynomials: bias real space (5 kernels)',
    () => Object.values(BIAS_REAL_SPACE).flatMap((f) => fPowerMatrices(n, BIAS_FFTLOG_BIAS, j, f.numerator, f.denominator)),
    `${setCost(BIAS_REAL_SPACE)} monomials x ${nc * nc} entries`,
  );
  time(
    'f-power polynomials: bias multipoles (10 kernels)',
    () => Object.values(BIAS_MULTIPOLES).flatMap((f) => fPowerMatrices(n, BIAS_FFTLOG_BIAS, j, f.numerator, f.denominator)),
    `${setCost(BIAS_MULTIPOLES)} monomials x ${nc * nc} entries`,
  );
  const shape = basisShape(n, MATTER_FFTLOG_BIAS);
  const mats: Record<string, { re: Float64Array; im: Float64Array }> = {};
  p22.forEach((m, i) => m && (mats[`k${i}`] = m));
  time(`pack + upload: rsdIrOn P22 (${Object.keys(mats).length} sheared matrices)`, () => tf.dispose(packQuadraticKernels(shape, mats).half));
  const matsB: Record<string, { re: Float64Array; im: Float64Array }> = {};
  real.forEach((m, i) => m && (matsB[`k${i}`] = m));
  time(`pack + upload: bias real (${Object.keys(matsB).length} sheared matrices)`, () => tf.dispose(packQuadraticKernels(basisShape(n, BIAS_FFTLOG_BIAS), matsB).half));
  return rows;
}

async function kernelStats(plan: Plan, inputs: CaseInputs): Promise<ProfileResult['kernels']> {
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await forwardOnce(plan, inputs, [inputs.cosmology]);
  });
  const wall = performance.now() - t0;
  const by = new Map<string, { count: number; ms: number }>();
  let total = 0;
  let tiny = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    total += ms;
    if (ms < 0.05) tiny++;
    const e = by.get(k.name) ?? { count: 0, ms: 0 };
    e.count++;
    e.ms += ms;
    by.set(k.name, e);
  }
  const top = [...by.entries()].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.ms - a.ms).slice(0, 12);
  const slowest = info.kernels
    .map((k) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0, shapes: (k.inputShapes ?? []).map((sh) => `[${(sh ?? []).join(',')}]`).join(' ') }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12);
  return { count: info.kernels.length, kernel_ms: total, wall_ms: wall, under_50us: tiny, top, slowest };
}

function syncStats(plan: Plan, inputs: CaseInputs): ProfileResult['syncs'] {
  const proto = tf.Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const methods = ['dataSync', 'arraySync', 'data', 'array'];
  const originals = methods.map((m) => proto[m]);
  const by: Record<string, number> = {};
  let ms = 0;
  let count = 0;
  methods.forEach((m, i) => {
    const orig = originals[i];
    proto[m] = function (this: unknown, ...a: unknown[]) {
      count++;
      by[m] = (by[m] ?? 0) + 1;
      const t0 = performance.now();
      const out = orig.apply(this, a);
      ms += performance.now() - t0;
      return out;
    };
  });
  try {
    computeComponents(plan, [inputs.cosmology], { ...inputs.options, kOutMpc: inputs.kOutMpc }).dispose();
  } finally {
    methods.forEach((m, i) => (proto[m] = originals[i]));
  }
  return { count, ms, by_method: by };
}

function microProfile(plan: Plan, inputs: CaseInputs, reps: number): TimedRow[] {
  const c = inputs.cosmology;
  const grid = fftlogGrid(inputs.n, c.h as number).kMpc;
  const kOut = Float64Array.from(inputs.kOutMpc);
  const shape = basisShape(inputs.n, BIAS_FFTLOG_BIAS);
  const rows: TimedRow[] = [];
  const add = (name: string, ms: number, note?: string) => rows.push({ name, ms, note });
  add(
    'tiny op dispatch: tf.add on [1,256] (per op)',
    perOp(() => {
      const a = tf.ones([1, 256]);
      return [() => tf.add(a, a).dispose(), () => a.dispose()];
    }),
    'per-op overhead of the backend',
  );
  add('matMul [512,513]x[513,512] (GFLOP/s in note)', ...matmulRate());
  // the data-movement kernels of the O(N^2) loops (loops/loop-integrals.ts), at N = 256
  const n = inputs.n;
  const nc = n + 1;
  const ns = 2 * n + 1;
  const op = (name: string, make: () => tf.Tensor, note?: string) => {
    const t = timeMedian(reps, () => tf.tidy(make).dispose());
    add(name, t, note);
  };
  const y2 = tf.randomNormal([2, nc]) as tf.Tensor2D;
  const w = tf.pad(y2, [[0, 0], [n, n + 1]]);
  op(`Hankel by tile (src since 49a7cad): tile [2, ${3 * n + 2}] x ${nc} + slices`, () => {
    const row = 3 * n + 1;
    const tiled = tf.slice(tf.tile(w, [1, nc]), [0, 0], [2, nc * row]);
    return tf.slice(tf.reshape(tiled, [2, nc, row]), [0, 0, n], [2, nc, ns]);
  }, 'x2 (Re, Im) per antiDiagonalProducts, 3 calls per forward');
  const idx = tf.tensor1d(Int32Array.from({ length: nc * ns }, (_, i) => {
    const c = Math.floor(i / ns);
    const d = (i % ns) - c;
    return d >= 0 && d < nc ? d : nc;
  }), 'int32');
  op('Hankel by gather (src before 49a7cad): gather [2, N+2] at (N+1)(2N+1) indices', () => tf.gather(tf.concat([y2, tf.zeros([2, 1])], 1), idx, 1));
  const x3 = tf.randomNormal([2, nc, 1]);
  op('proposed: skew of the outer product (mul + pad + reshape + contiguous slice)', () => {
    const p = tf.mul(x3, tf.reshape(y2, [2, 1, nc]));
    const flat = tf.reshape(tf.pad(p, [[0, 0], [0, 0], [0, nc]]), [2, nc * 2 * nc]);
    return tf.reshape(tf.slice(flat, [0, 0], [2, nc * ns]), [2, nc, ns]);
  }, 'Q[c, s] = P[c, s - c]: replaces the Hankel gather/tile and the products');
  const K = 15;
  const a5 = tf.randomNormal([ns, 2, 2, 2, K]);
  op(`quadraticLoops: 4 slices of the rank-5 [2N+1, 2, B, 2, K] result (B = 2, K = ${K})`, () =>
    tf.addN([0, 1].flatMap((i) => [0, 1].map((j) => tf.squeeze(tf.slice(a5, [0, i, 0, j, 0], [ns, 1, 2, 1, K]), [1, 3])))),
  'rank > 4: generic element-wise slice (wasm and cpu)');
  const a4 = tf.reshape(a5, [ns, 2, 2, 2 * K]);
  op('  the same 4 slices on a rank-4 view [2N+1, 2, B, 2K]', () =>
    tf.addN([0, 1].flatMap((i) => [0, K].map((j) => tf.reshape(tf.slice(a4, [0, i, 0, j], [ns, 1, 2, K]), [ns, 2, K])))),
  );
  const prod = tf.randomNormal([ns, 2, 2 * nc]);
  const blk = tf.randomNormal([ns, 2 * nc, 2 * K]);
  op('proposed: one matMul on a [[Re, Im], [-Im, Re]] kernel block (gives [Re A | Im A])', () => tf.matMul(prod, blk), 'no slices; same flop count');
  tf.dispose([y2, w, idx, x3, a5, a4, prod, blk]);
  // per-name slices of the AP-interpolated stack (projectMatterMultipoles), B = 32
  const atKt = tf.randomNormal([32, 36, n - 20, 40]);
  op('slice one channel of [B=32, C=36, J, G=40] (projectMatterMultipoles, x36)', () => tf.slice(atKt, [0, 5, 0, 0], [32, 1, n - 20, 40]), 'stock wasm Slice copied its whole input; src/wasm-kernels.ts reads a heap view');
  const atKtT = tf.transpose(atKt, [1, 0, 2, 3]);
  op('  the same channel of a [C, B, J, G] layout (contiguous)', () => tf.slice(atKtT, [5, 0, 0, 0], [1, 32, n - 20, 40]), 'contiguous: one copy of the part');
  const one = tf.randomNormal([32, 1, n - 20, 40]);
  op('  for scale: a mul producing the same [32, 1, J, G] output', () => tf.mul(one, one));
  tf.dispose([atKt, atKtT, one]);
  add('gaussLegendre(40) (recomputed per call in apGeometry/apMoments/pure-AP)', timeMedian(reps * 10, () => gaussLegendre(40)));
  add('hostApMoments, one (l, phi) set, B = 1', timeMedian(reps, () => hostApMoments({ gridKMpc: [grid], hratio: [c.hratio as number], dratio: [c.Dratio as number] }, 10, 4, 0)), 'now one pass for all 9 sets per call (hostApMomentSets), shared with the pure-AP rows');
  add('analysisMatrix (bias basis)', timeMedian(reps, () => analysisMatrix(shape)), 'cached per basis in pure-ap-float64.ts');
  const coef = new Float64Array(2 * shape.nc).map((_, i) => Math.sin(i));
  const kern = plan.biasHost()['Id2d2'].find((m) => m) as { re: Float64Array; im: Float64Array };
  add('hostQuadraticForm, one kernel (float64, O(N^2))', timeMedian(reps, () => hostQuadraticForm(shape, coef, kern)), '~13 per forward in the pure-AP rows');
  add('splineOperator(grid, kOut): output spline matrix, one cosmology', timeMedian(reps, () => splineOperator(grid, kOut)));
  add('outputSplineOperators, B = 1 (host + upload)', timeMedian(reps, () => outputSplineOperators([grid], [kOut]).dispose()));
  add('secondDerivativeOperators, B = 1 (N unit-vector solves + upload)', timeMedian(reps, () => secondDerivativeOperators([grid]).dispose()));
  return rows;
}

/** Median per-op time of a tiny op, from [op, cleanup]. */
function perOp(make: () => [() => void, () => void]): number {
  const [op, cleanup] = make();
  for (let i = 0; i < 50; i++) op();
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) op();
    runs.push((performance.now() - t0) / 500);
  }
  cleanup();
  return median(runs);
}

function matmulRate(): [number, string] {
  const a = tf.randomNormal([512, 513]);
  const b = tf.randomNormal([513, 512]);
  tf.matMul(a, b).dispose();
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    runs.push(performance.now() - t0);
    c.dispose();
  }
  tf.dispose([a, b]);
  const ms = median(runs);
  return [ms, `${((2 * 512 * 513 * 512) / (ms * 1e6)).toFixed(1)} GFLOP/s`];
}

export async function runProfile(plan: Plan, inputs: CaseInputs, settings: ForwardSettings, opts: ProfileOptions): Promise<ProfileResult> {
  const forward = await stageProfile(plan, inputs, settings, 1, opts.reps);
  const forwardBatch = opts.batch > 0 ? await stageProfile(plan, inputs, settings, opts.batch, 1) : undefined;
  const linear = linearStageProfile(inputs, opts.reps);
  const kernels = await kernelStats(plan, inputs);
  const syncs = syncStats(plan, inputs);
  const micro = microProfile(plan, inputs, opts.reps);
  const planRows = opts.planParts ? planProfile(inputs.n) : undefined;
  const proposals = runProposals(plan, inputs, opts.reps, opts.planParts);
  return { forward, forward_batch: forwardBatch, linear_stage: linear, plan: planRows, kernels, syncs, micro, proposals };
}
