/**
 * `npm run bench [-- options]`: speed of clax-pt-ts against CLASS-PT (issue 8).
 *
 *   --json            print one JSON object as the last line of stdout
 *   --backend LIST    wasm, cpu or wasm,cpu (default wasm,cpu; the first is the headline)
 *   --profile         per-stage profile (forward stages, host linear stage, plan build per
 *                     kernel set, op and sync statistics, hotspot micro-measurements)
 *   --quick           fewer repetitions (a smoke test, numbers are noisier)
 *   --full            more repetitions, and the batch of 32 on the cpu backend too
 *   --batch N         batch size of the batch measurement (default 32)
 *   --cold-runs N     fresh processes for the cold start (default 3 wasm, 1 cpu)
 *   --sweep LIST      batch sizes of a throughput sweep (default 1,4,16,64,256,1024 on webgpu,
 *                     none elsewhere; 'none' to skip), one forward per size after a warm-up
 *   --sweep-budget S  seconds one sweep point may take before the larger sizes are skipped (300)
 *
 * Backends: wasm, cpu, webgpu (under Node: Dawn, the npm package webgpu; on a machine without
 * a GPU Dawn's OpenGL path on Mesa's software rasteriser), node. webgl runs in a browser only:
 * `npx tsx benchmarks/browser.ts` times the same forward and sweep in headless Chromium.
 * `npm run bench:bundle` packs this benchmark into dist/bench (one .mjs file with every
 * dependency, the .wasm files and Dawn's binary for linux-x64, ~25 MB) to run from a copy of the
 * working tree without node_modules: `node dist/bench/bench.mjs --backend webgpu --json`.
 *
 * Every measurement runs in child processes (one per backend, one per cold start), so the
 * backends do not share state and the cold start is a genuinely new process.
 * CLASS-PT reference: 180 ms per cosmology (issue 8), or, if CLASSPT_BENCH_CMD is set, that
 * shell command timed here (median of 3 runs; if its last stdout line is a number, that number
 * is taken as its ms per cosmology instead of the wall time).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'node:module';
import { CLASSPT_NOMINAL_MS, HERE, fmtMs, round, stats, table } from './common';
import type { WorkerOptions, WorkerResult } from './worker';
import type { ColdResult } from './cold';
import type { ProfileResult, StageProfile } from './profile';
import type { LikelihoodBench } from './likelihood';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** Running from the bundle (dist/bench/bench.mjs) rather than from source through tsx. */
const BUNDLED = !import.meta.url.endsWith('.ts');

function registerEsmHook(): void {
  // tfjs-core's ESM gradient files import siblings without extensions; see ./esm-hook.mjs
  // (the bundle has them inside)
  if (!BUNDLED) register('./esm-hook.mjs', import.meta.url);
}

async function emitAndExit(obj: unknown): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write(JSON.stringify(obj) + '\n', () => resolve()));
  process.exit(0);
}

/* ------------------------------------------------------------------ child modes */

if (flag('--worker')) {
  registerEsmHook();
  const { runWorker } = await import('./worker');
  const opts = JSON.parse(value('--opts') ?? '{}') as WorkerOptions;
  await emitAndExit(await runWorker(opts));
}
if (flag('--likelihood')) {
  registerEsmHook();
  const { runLikelihoodBench } = await import('./likelihood');
  await emitAndExit(await runLikelihoodBench(value('--backend') ?? 'wasm', Number(value('--reps') ?? 7)));
}
if (flag('--cold')) {
  registerEsmHook();
  const { runCold } = await import('./cold');
  await emitAndExit(await runCold(value('--backend') ?? 'wasm'));
}

/* ------------------------------------------------------------------ orchestrator */

function childArgs(extra: string[]): string[] {
  if (BUNDLED) return [fileURLToPath(import.meta.url), ...extra];
  const hasTsx = process.execArgv.some((a) => a.includes('tsx'));
  return [...(hasTsx ? process.execArgv : ['--import', 'tsx']), join(HERE, 'run.ts'), ...extra];
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** Runs a child and returns [parsed last stdout line, wall ms]. */
function runChild<T>(extra: string[], label: string): Promise<[T, number]> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, childArgs(extra), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = performance.now() - t0;
      const lines = out.trim().split('\n');
      try {
        if (code !== 0) throw new Error(`exit code ${code}`);
        resolve([JSON.parse(lines[lines.length - 1]) as T, wall]);
      } catch (e) {
        reject(new Error(`${label} failed (${(e as Error).message}):\n${err.split('\n').slice(-30).join('\n')}`));
      }
    });
  });
}

interface Reference {
  ms: number;
  source: string;
  runs?: number[];
}

function classptReference(): Reference {
  const cmd = process.env.CLASSPT_BENCH_CMD;
  if (!cmd) return { ms: CLASSPT_NOMINAL_MS, source: 'nominal: CLASS-PT nonlinear_pt_loop, 180 ms per cosmology on these machines (issue 8)' };
  const runs: number[] = [];
  let reported: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    runs.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`CLASSPT_BENCH_CMD exited with ${r.status}`);
    const last = Number((r.stdout ?? '').trim().split('\n').pop());
    if (Number.isFinite(last) && last > 0) reported.push(last);
  }
  if (reported.length !== runs.length) reported = [];
  const s = stats(reported.length ? reported : runs);
  return {
    ms: s.median,
    source: `measured: CLASSPT_BENCH_CMD (${reported.length ? 'its reported ms per cosmology' : 'wall time'}, median of ${s.n})`,
    runs: s.runs,
  };
}

interface Load {
  before: number;
  after: number;
  cpus: number;
}

interface BackendSummary {
  backend: string;
  forward_ms: number;
  batch32_ms_per_cosmology: number | null;
  grad_ms: number;
  cold_start_ms: number | null;
  plan_build_ms: number;
  worker: WorkerResult;
  cold: (ColdResult & { process_wall_ms: number })[];
}

async function main(): Promise<void> {
  const json = flag('--json');
  const quick = flag('--quick');
  const full = flag('--full');
  const profile = flag('--profile');
  const backends = (value('--backend') ?? 'wasm,cpu').split(',').map((s) => s.trim()).filter(Boolean);
  const batch = Number(value('--batch') ?? 32);
  const coldRunsArg = value('--cold-runs');
  const sweepArg = value('--sweep');
  const sweepBudgetMs = 1000 * Number(value('--sweep-budget') ?? 300);
  const startAll = performance.now();
  const loadBefore = loadavg()[0];

  const reference = classptReference();
  if (process.env.CLASSPT_BENCH_CMD) log(`CLASS-PT reference: ${fmtMs(reference.ms)} ms (${reference.source})`);

  const summaries: BackendSummary[] = [];
  for (const [i, backend] of backends.entries()) {
    const primary = i === 0;
    const slow = backend === 'cpu';
    const gpu = backend === 'webgpu';
    const sweep = sweepArg === 'none' ? [] : sweepArg ? sweepArg.split(',').map(Number) : gpu ? [1, 4, 16, 64, 256, 1024] : [];
    const reps = quick
      ? { forward: 3, batch: 1, grad: 2, warm: 1 }
      : slow && !full
        ? { forward: 3, batch: 1, grad: 2, warm: 1 }
        : full
          ? { forward: 9, batch: 3, grad: 7, warm: 2 }
          : { forward: 7, batch: 2, grad: 4, warm: 2 };
    const opts: WorkerOptions = {
      backend,
      reps,
      batch,
      profile,
      profileBatch: profile && !slow && !quick,
      planProfile: profile && primary,
      skipBatch: slow && !full,
      sweep,
      sweepBudgetMs,
    };
    log(`${backend}: plan build, forward, gradient${opts.skipBatch ? '' : `, batch of ${batch}`}${profile ? ', profile' : ''} ...`);
    const [worker] = await runChild<WorkerResult>(['--worker', '--opts', JSON.stringify(opts)], `${backend} worker`);
    const coldRuns = Number(coldRunsArg ?? (quick ? 1 : slow ? 1 : 3));
    const cold: BackendSummary['cold'] = [];
    for (let r = 0; r < coldRuns; r++) {
      log(`${backend}: cold start ${r + 1}/${coldRuns} (new process) ...`);
      const [c, wall] = await runChild<ColdResult>(['--cold', '--backend', backend], `${backend} cold start`);
      cold.push({ ...c, process_wall_ms: wall });
    }
    summaries.push({
      backend: worker.backend,
      forward_ms: worker.forward.median,
      batch32_ms_per_cosmology: worker.batch ? worker.batch.per_cosmology_ms : null,
      grad_ms: worker.grad.median,
      cold_start_ms: cold.length ? stats(cold.map((c) => c.cold_start_ms)).median : null,
      plan_build_ms: worker.plan_build_ms,
      worker,
      cold,
    });
  }
  log(`${backends[0]}: likelihood (BOSS DR12, value and gradient) ...`);
  // the likelihood needs gradients (synchronous reads: not webgpu under Node) and its data files
  // (absent from the bench bundle): a failure is reported, not fatal
  let likelihood: LikelihoodBench | null = null;
  let likelihoodError = '';
  try {
    [likelihood] = await runChild<LikelihoodBench>(['--likelihood', '--backend', backends[0], '--reps', quick ? '3' : '7'], 'likelihood');
  } catch (e) {
    likelihoodError = String((e as Error).message).split('\n').slice(0, 3).join(' ').slice(0, 300);
  }
  const elapsed = performance.now() - startAll;
  const load = { before: round(loadBefore, 2), after: round(loadavg()[0], 2), cpus: cpus().length };

  process.stdout.write(report(summaries, reference, profile, elapsed, load));
  process.stdout.write(
    likelihood
      ? `likelihood (${likelihood.data === 'boss_dr12' ? 'BOSS DR12' : 'the mock survey: BOSS files not found'}, 4 samples, ${likelihood.parameters} parameters, ${likelihood.backend}): ` +
          `value ${fmtMs(likelihood.likelihood_ms)} ms (target <= 40), value + gradient ${fmtMs(likelihood.likelihood_grad_ms)} ms (target <= 150); leaked tensors ${likelihood.leaked_tensors}\n`
      : `likelihood: not measured (${likelihoodError})\n`,
  );
  if (json) {
    const head = summaries[0];
    const ratio = (x: number | null) => (x === null ? null : round(x / reference.ms, 3));
    const perBackend = (s: BackendSummary) => ({
      forward_ms: round(s.forward_ms, 2),
      batch32_ms_per_cosmology: s.batch32_ms_per_cosmology === null ? null : round(s.batch32_ms_per_cosmology, 2),
      grad_ms: round(s.grad_ms, 2),
      cold_start_ms: s.cold_start_ms === null ? null : round(s.cold_start_ms, 1),
      plan_build_ms: round(s.plan_build_ms, 1),
      forward_runs_ms: s.worker.forward.runs.map((x) => round(x, 2)),
      grad_full_ms: round(s.worker.grad_full.median, 2),
      grad_full_wrt: s.worker.grad_full_wrt,
      grad_mode: s.worker.grad_mode,
      grad_assembly_only_ms: round(s.worker.grad_assembly_only.median, 2),
      batch_size: s.worker.batch?.batch ?? null,
      batch_sweep: s.worker.batch_sweep ?? null,
      webgpu_adapter: s.worker.webgpu_adapter ?? null,
      ratios_to_classpt: {
        forward: ratio(s.forward_ms),
        batch32_per_cosmology: ratio(s.batch32_ms_per_cosmology),
        grad_over_forward: round(s.grad_ms / s.forward_ms, 3),
      },
    });
    const obj = {
      backend: head.backend,
      forward_ms: round(head.forward_ms, 2),
      batch32_ms_per_cosmology: head.batch32_ms_per_cosmology === null ? null : round(head.batch32_ms_per_cosmology, 2),
      grad_ms: round(head.grad_ms, 2),
      cold_start_ms: head.cold_start_ms === null ? null : round(head.cold_start_ms, 1),
      reference_ms: round(reference.ms, 2),
      reference_source: reference.source,
      ratios: perBackend(head).ratios_to_classpt,
      targets_met: {
        forward_le_0_25x: head.forward_ms <= 0.25 * reference.ms,
        batch32_le_0_1x: head.batch32_ms_per_cosmology !== null && head.batch32_ms_per_cosmology <= 0.1 * reference.ms,
        grad_le_3x_forward: head.grad_ms <= 3 * head.forward_ms,
        cold_start_le_2s: head.cold_start_ms !== null && head.cold_start_ms <= 2000,
      },
      likelihood_ms: likelihood ? round(likelihood.likelihood_ms, 2) : null,
      likelihood_grad_ms: likelihood ? round(likelihood.likelihood_grad_ms, 2) : null,
      likelihood_data: likelihood ? likelihood.data : null,
      grad_wrt: head.worker.grad_wrt,
      grad_not_available: head.worker.grad_not_available,
      batch_sweep: head.worker.batch_sweep ?? null,
      webgpu_adapter: head.worker.webgpu_adapter ?? null,
      case: 'fiducial',
      n_fftlog: head.worker.n,
      n_out: head.worker.n_out,
      node: process.version,
      cpus: cpus().length,
      load_average_1min: load,
      elapsed_s: round(elapsed / 1000, 1),
      backends: Object.fromEntries(summaries.map((s) => [s.backend, perBackend(s)])),
      profile: profile ? Object.fromEntries(summaries.map((s) => [s.backend, s.worker.profile])) : undefined,
    };
    process.stdout.write(JSON.stringify(obj) + '\n');
  }
}

function report(summaries: BackendSummary[], ref: Reference, withProfile: boolean, elapsed: number, load: Load): string {
  const w = summaries[0].worker;
  const lines: string[] = [];
  lines.push(
    `clax-pt-ts benchmark: fiducial case (N = ${w.n}, ${w.n_out} output k, IR + RSD + AP + bias; headline rows: the 12 spectra with the 40 component rows they use (components: 'spectra'); 'all 48 rows' adds the 8 float64 pure-AP rows)`,
  );
  lines.push(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), 1-min load average ${load.before} before, ${load.after} after`);
  if (Math.max(load.before, load.after) > 0.5 * load.cpus) {
    lines.push(`WARNING: other processes were using the CPUs during the run (load >= ${load.cpus / 2}); timings are inflated and noisy`);
  }
  lines.push(`CLASS-PT reference: ${fmtMs(ref.ms)} ms per cosmology (${ref.source})`);
  for (const s of summaries) {
    if (s.worker.wasm_threads !== undefined) {
      lines.push(
        `wasm: SIMD ${s.worker.wasm_simd ? 'on' : 'off'}, threads ${s.worker.wasm_threads} (multithread support in Node: ${s.worker.wasm_multithread_supported ? 'yes' : 'no'})`,
      );
    }
  }
  lines.push('');
  const head = ['metric (median ms)', 'target'];
  for (const s of summaries) head.push(s.backend, `x CLASS-PT`);
  const rows: string[][] = [];
  const x = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${(v / ref.ms).toFixed(2)}x`);
  const row = (name: string, target: string, get: (s: BackendSummary) => number | null, ratio = true) => {
    const r = [name, target];
    for (const s of summaries) {
      const v = get(s);
      r.push(v === null ? 'skipped' : fmtMs(v), ratio ? x(v) : '');
    }
    rows.push(r);
  };
  row('forward, 1 cosmology (12 spectra)', '<= 0.25x', (s) => s.forward_ms);
  row('  all 48 rows + 12 spectra', '', (s) => s.worker.forward_all.median);
  row(`batch of ${w.batch?.batch ?? 32}, per cosmology`, '<= 0.1x', (s) => s.batch32_ms_per_cosmology);
  row('  all 48 rows + 12 spectra', '', (s) => (s.worker.batch_all ? s.worker.batch_all.per_cosmology_ms : null));
  row(`batch of ${w.batch?.batch ?? 32}, whole call`, '', (s) => (s.worker.batch ? s.worker.batch.median : null), false);
  row(
    w.grad_mode === 'assembly-only' ? 'gradient of S (ONLY nuisance + explicit f, see note)' : 'gradient of S (11 nuisance + f)',
    '<= 3x fwd',
    (s) => s.grad_ms,
  );
  rows.push(['  gradient / forward', '<= 3', ...summaries.flatMap((s) => [`${(s.grad_ms / s.forward_ms).toFixed(2)}x`, ''])]);
  if (w.grad_full_wrt.length > w.grad_wrt.length) {
    row(`  w.r.t. ${w.grad_full_wrt.slice(w.grad_wrt.length).join(', ')} too`, '', (s) => s.worker.grad_full.median);
  }
  row('  nuisance + f, components fixed', '', (s) => s.worker.grad_assembly_only.median);
  row('cold start: plan + 1st forward', '<= 2000', (s) => s.cold_start_ms, false);
  row('  plan build (all kernel sets)', '', (s) => (s.cold.length ? stats(s.cold.map((c) => c.plan_build_ms)).median : s.plan_build_ms), false);
  row('  first forward', '', (s) => (s.cold.length ? stats(s.cold.map((c) => c.first_forward_ms)).median : null), false);
  row('  new process to first result', '', (s) => (s.cold.length ? stats(s.cold.map((c) => c.process_wall_ms)).median : null), false);
  lines.push(table(head, rows));
  lines.push('');
  for (const s of summaries) {
    const wk = s.worker;
    lines.push(
      `${s.backend}: forward runs ${wk.forward.runs.map(fmtMs).join(', ')} (n = ${wk.forward.n}); grad runs ${wk.grad.runs.map(fmtMs).join(', ')}` +
        (wk.batch ? `; batch runs ${wk.batch.runs.map(fmtMs).join(', ')}` : '; batch skipped (use --full)') +
        `; cold runs ${s.cold.map((c) => fmtMs(c.cold_start_ms)).join(', ') || '-'}; leaked tensors ${wk.leaked_tensors}`,
    );
  }
  const g = w.grad_check;
  lines.push(
    `gradient: w.r.t. ${w.grad_wrt.join(', ')}, f ${
      w.grad_mode === 'computeComponents'
        ? 'through every tensor stage via computeComponents (tensor inputs)'
        : 'ONLY in the assembly (components held fixed)'
    }; ` +
      `S = ${exp(g.S_tensor_path, 6)} vs ${exp(g.S_compute, 6)} from computeComponents (rel. diff ${exp(g.rel_diff, 1)}), dS/df = ${exp(g.dS_df, 4)}`,
  );
  if (w.grad_note) lines.push(`note: ${w.grad_note}`);
  if (w.grad_not_available.length) lines.push(`not differentiable yet: ${w.grad_not_available.join('; ')}`);
  for (const s of summaries) {
    const sw = s.worker.batch_sweep;
    if (!sw?.length) continue;
    lines.push('');
    lines.push(`${s.backend}${s.worker.webgpu_adapter ? ` (Dawn: ${s.worker.webgpu_adapter})` : ''}: batch-size sweep, one forward per size (components 'spectra' + 12 spectra)`);
    lines.push(
      table(
        ['batch', 'call ms', 'ms per cosmology', 'cosmologies / s'],
        sw.map((p) => (p.skipped ? [String(p.batch), 'skipped', p.skipped, ''] : [String(p.batch), fmtMs(p.ms), fmtMs(p.per_cosmology_ms), (p.cosmologies_per_s ?? 0).toFixed(1)])),
      ),
    );
  }
  if (withProfile) {
    for (const s of summaries) if (s.worker.profile) lines.push('', ...profileReport(s.backend, s.worker.profile, s.worker));
  }
  lines.push('', `(benchmark took ${(elapsed / 1000).toFixed(0)} s)`, '');
  return lines.join('\n');
}

/** x.toExponential, tolerating null / NaN (JSON turns NaN into null). */
function exp(x: number | null | undefined, digits: number): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toExponential(digits) : '-';
}

function stageTable(p: StageProfile): string {
  const total = p.total_ms;
  const rows = p.stages.map((st) => [
    st.name,
    fmtMs(st.ms),
    `${((100 * st.ms) / total).toFixed(1)}%`,
    String(st.calls),
    String(st.kernels),
    fmtMs(st.kernel_ms),
    fmtMs(Math.max(0, st.ms - st.kernel_ms - st.barrier_ms)),
    st.top_kernels,
  ]);
  const sum = (get: (st: StageProfile['stages'][number]) => number) => p.stages.reduce((a, st) => a + get(st), 0);
  rows.push([
    'total (sum of stages / wall)',
    `${fmtMs(sum((st) => st.ms))} / ${fmtMs(total)}`,
    '',
    '',
    String(sum((st) => st.kernels)),
    fmtMs(sum((st) => st.kernel_ms)),
    fmtMs(sum((st) => Math.max(0, st.ms - st.kernel_ms - st.barrier_ms))),
    '',
  ]);
  return table(['stage', 'ms', 'share', 'calls', 'ops', 'in ops', 'JS host', 'heaviest kernels (count, ms)'], rows);
}

function profileReport(backend: string, p: ProfileResult, wk: WorkerResult): string[] {
  const out: string[] = [];
  out.push(`=== profile: ${backend} ===`);
  out.push(
    `forward by stage, B = 1 (median of ${p.forward.reps}; stages from computeComponents' profile hook; ` +
      `"in ops" = wall time inside tfjs kernel dispatches, "JS host" = the rest minus the read-back barrier):`,
  );
  out.push(stageTable(p.forward));
  if (p.forward_batch) {
    out.push('', `forward by stage, B = ${p.forward_batch.batch} (1 run):`);
    out.push(stageTable(p.forward_batch));
  }
  out.push('', 'host linear stage, B = 1:');
  out.push(table(['part', 'ms', 'note'], p.linear_stage.map((r) => [r.name, fmtMs(r.ms), r.note ?? ''])));
  if (p.plan) {
    out.push('', `plan build per kernel set (this process): ${Object.entries(wk.plan_parts_ms).map(([k, v]) => `${k} ${fmtMs(v)}`).join(', ')}`);
    out.push('plan build in parts (each piece re-run alone):');
    out.push(table(['part', 'ms', 'note'], p.plan.map((r) => [r.name, fmtMs(r.ms), r.note ?? ''])));
  }
  const k = p.kernels;
  out.push(
    '',
    `ops (tf.profile of one forward + spectra): ${k.count} kernels, ${fmtMs(k.kernel_ms)} ms inside kernels, ${k.under_50us} of them under 50 us; ` +
      `profiled wall ${fmtMs(k.wall_ms)} ms`,
  );
  out.push(table(['kernel', 'count', 'ms'], k.top.map((t) => [t.name, String(t.count), fmtMs(t.ms)])));
  out.push('', 'slowest single kernels (input shapes):');
  out.push(table(['kernel', 'ms', 'inputs'], k.slowest.map((t) => [t.name, fmtMs(t.ms), t.shapes])));
  out.push(
    '',
    `sync points in one computeComponents call: ${p.syncs.count} (${Object.entries(p.syncs.by_method).map(([m, c]) => `${m} ${c}`).join(', ')}), ${fmtMs(p.syncs.ms)} ms in them`,
  );
  out.push('', 'proposed vs current (prototypes in benchmarks/proposals.ts, same inputs, values compared):');
  out.push(
    table(
      ['what', 'current ms', 'proposed ms', 'speed-up', 'max rel diff', 'note'],
      p.proposals.map((r) => [r.name, fmtMs(r.current_ms), fmtMs(r.proposed_ms), `${(r.current_ms / r.proposed_ms).toFixed(1)}x`, exp(r.max_rel_diff, 1), r.note]),
    ),
  );
  out.push('', 'hotspot micro-measurements:');
  out.push(table(['what', 'ms', 'note'], p.micro.map((r) => [r.name, fmtMs(r.ms), r.note ?? ''])));
  return out;
}

await main();
