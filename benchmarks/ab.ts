/**
 * A/B timing of the working tree against a git ref in ONE process (same load, same backend):
 *
 *   npx tsx benchmarks/ab.ts [ref=HEAD] [--batch 32] [--reps 7] [--backend wasm] [--components spectra] [--stock-slice] [--stages] [--grad] [--stock-ops-a]
 *
 * The ref's src/ is extracted with `git archive` into a temporary folder that links this
 * checkout's node_modules (one tfjs instance, shared backend), and both versions run the
 * fiducial forward (computeComponents + the 12 spectra + read-back), alternating A and B, so
 * that the ratio B/A is measured under the same machine load. Values are compared too.
 * --grad times the gradient of S = sum of the gg multipoles w.r.t. f (through
 * computeComponents) instead of the forward.
 *
 * Versions before the own-named kernels (src/wasm-kernels.ts) replaced stock wasm kernels for
 * the whole process; the kernel registry is therefore set to each version's own state before
 * each of its runs (the stock kernels for B, whatever A installed for A), so that neither
 * version runs on the other's kernels.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'node:module';
import { ROOT, FIDUCIAL_CASE, stats } from './common';

register('./esm-hook.mjs', import.meta.url);

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const VALUED = new Set(['--batch', '--reps', '--backend', '--components']);
const ref = args.find((a, i) => !a.startsWith('--') && (i === 0 || !VALUED.has(args[i - 1]))) ?? 'HEAD';
const batch = Number(opt('batch', '1'));
const reps = Number(opt('reps', '7'));
const backendName = opt('backend', 'wasm');
/** --components spectra: passed to both versions (one that predates the option computes all rows) */
const components = opt('components', 'all');
/** --stock-slice: run A with the stock wasm Slice kernel (B installs src/wasm-kernels' one) */
const stockSliceForA = args.includes('--stock-slice');
/** --stock-ops-a: A (a ref with src/private-ops.ts) runs its tensor stages on tfjs's stock kernels (setOwnWasmKernels(false)) */
const stockOpsForA = args.includes('--stock-ops-a');
/** --stages: also the median time of each stage of computeComponents (its profile hook), per version */
const stages = args.includes('--stages');
/** --grad: time the value and gradient of S = sum of gg_l0 + gg_l2 + gg_l4 over k in [0.005, 0.3] h/Mpc w.r.t. f (a tensor through computeComponents) instead of the forward */
const gradient = args.includes('--grad');

const dir = mkdtempSync(join(tmpdir(), 'clax-ab-'));
execSync(`git archive ${ref} src | tar -x -C ${dir}`, { cwd: ROOT });
symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));

interface Version {
  label: string;
  compute: typeof import('../src/compute');
  plan: typeof import('../src/plan');
  spectra: typeof import('../src/assembly/spectra');
}

async function load(label: string, root: string): Promise<Version> {
  return {
    label,
    compute: await import(join(root, 'src/compute.ts')),
    plan: await import(join(root, 'src/plan.ts')),
    spectra: await import(join(root, 'src/assembly/spectra.ts')),
  };
}

async function main(): Promise<void> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('../src/platform/node');
  const { useBackend } = await import('../src/backend');
  const { caseInputs, readCaseFile } = await import('../src/cli/case-file');
  const { batchOf } = await import('./worker');
  const backend = await useBackend(backendName);
  const A = await load(`A (${ref})`, dir);
  const B = await load('B (working tree)', ROOT);
  const inputs = caseInputs(readCaseFile(FIDUCIAL_CASE));
  const cosmologies = batch > 1 ? batchOf(inputs, batch) : [inputs.cosmology];
  const kernels = await import('../src/wasm-kernels');
  type Registry = Map<string, import('@tensorflow/tfjs-core').KernelConfig>;
  const snapshot = (): Registry => new Map(tf.getKernelsForBackend(backend).map((k) => [k.kernelName, k]));
  const restore = (reg: Registry) => {
    for (const [name, cfg] of reg) {
      if (tf.getKernel(name, backend)?.kernelFunc === cfg.kernelFunc) continue;
      tf.unregisterKernel(name, backend);
      tf.registerKernel(cfg);
    }
  };
  const stockRegistry = snapshot();
  if (stockOpsForA) ((await import(join(dir, 'src/wasm-kernels.ts'))) as typeof kernels).setOwnWasmKernels(false);
  let registryOfA: Registry | null = null;
  const stageTimes = new Map<Version, Map<string, number[]>>();
  let timing = false;
  const run = async (v: Version): Promise<Record<string, Float32Array>> => {
    if (stockSliceForA) (v === A ? kernels.uninstallWasmKernels : () => kernels.setOwnWasmKernels(true))();
    restore(v === A ? (registryOfA ?? stockRegistry) : stockRegistry);
    try {
      return await runForward(v);
    } finally {
      if (v === A && !registryOfA) registryOfA = snapshot();
    }
  };
  const runForward = async (v: Version): Promise<Record<string, Float32Array>> => {
    const plan = v.plan.getPlan({ n: inputs.n });
    const times = stageTimes.get(v) ?? stageTimes.set(v, new Map()).get(v)!;
    const profile = <T,>(name: string, f: () => T): T => {
      const t0 = performance.now();
      const out = f();
      if (timing) (times.get(name) ?? times.set(name, []).get(name)!).push(performance.now() - t0);
      return out;
    };
    if (gradient) {
      const mask = tf.tensor2d([inputs.kOutMpc.map((k) => (k / inputs.h >= 0.005 && k / inputs.h <= 0.3 ? 1 : 0))]);
      const fs = tf.tensor1d(cosmologies.map((c) => c.f as number));
      const { value, grads } = tf.valueAndGrads((ft: import('@tensorflow/tfjs-core').Tensor) => {
        const fsl = cosmologies.map((_, b) => tf.reshape(tf.slice(ft, [b], [1]), []));
        const r = v.compute.computeComponents(plan, cosmologies.map((c, b) => ({ ...c, f: fsl[b] })), { ...inputs.options, kOutMpc: inputs.kOutMpc, components, ...(stages ? { profile } : {}) } as never);
        const sp = v.spectra.assembleAll(r.components, inputs.bias as never, { h: inputs.h, f: batch === 1 ? fsl[0] : ft, kOutMpc: inputs.kOutMpc } as never);
        return tf.sum(tf.mul(tf.addN([sp.gg_l0!, sp.gg_l2!, sp.gg_l4!]), mask)) as import('@tensorflow/tfjs-core').Scalar;
      })([fs]);
      const out = { S: (await value.data()) as Float32Array, dSdf: (await grads[0].data()) as Float32Array };
      tf.dispose([value, ...grads, fs, mask]);
      return out;
    }
    const r = v.compute.computeComponents(plan, cosmologies, { ...inputs.options, kOutMpc: inputs.kOutMpc, components, ...(stages ? { profile } : {}) } as never);
    const f = batch === 1 ? (cosmologies[0].f as number) : tf.tensor1d(cosmologies.map((c) => c.f as number));
    const spectra = v.spectra.assembleAll(r.components, inputs.bias as never, { h: inputs.h, f, kOutMpc: inputs.kOutMpc });
    const out: Record<string, Float32Array> = {};
    const reads = Object.entries({ ...r.components, ...spectra }).map(async ([k, t]) => {
      if (t) out[k] = (await (t as import('@tensorflow/tfjs-core').Tensor).data()) as Float32Array;
    });
    await Promise.all(reads);
    tf.dispose(Object.values(spectra).filter((t) => t !== undefined) as import('@tensorflow/tfjs-core').Tensor[]);
    if (f instanceof tf.Tensor) f.dispose();
    r.dispose();
    return out;
  };
  const ta: number[] = [];
  const tb: number[] = [];
  const va = await run(A);
  const vb = await run(B);
  await run(A);
  await run(B);
  timing = true;
  for (let i = 0; i < reps; i++) {
    for (const [v, t] of [[A, ta], [B, tb]] as const) {
      const t0 = performance.now();
      await run(v);
      t.push(performance.now() - t0);
    }
  }
  let worst = 0;
  let worstName = '';
  for (const [k, a] of Object.entries(va)) {
    const b = vb[k];
    if (!b) continue;
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      scale = Math.max(scale, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    const rel = scale > 0 ? diff / scale : diff;
    if (rel > worst) [worst, worstName] = [rel, k];
  }
  const missing = Object.keys(va).filter((k) => !vb[k]);
  const sa = stats(ta);
  const sb = stats(tb);
  const per = (x: number) => (x / batch).toFixed(1);
  console.log(`${gradient ? 'gradient of S, ' : ''}backend ${backend}, batch ${batch}, components ${components}, reps ${reps}, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
  console.log(`${A.label}: median ${per(sa.median)} ms/cosmology (min ${per(sa.min)})`);
  console.log(`${B.label}: median ${per(sb.median)} ms/cosmology (min ${per(sb.min)})`);
  console.log(`ratio B/A: median ${(sb.median / sa.median).toFixed(3)}, min ${(sb.min / sa.min).toFixed(3)}`);
  console.log(`max rel diff B vs A: ${worst.toExponential(2)} (${worstName})${missing.length ? `; missing in B: ${missing.join(', ')}` : ''}`);
  if (stages) {
    for (const v of [A, B]) {
      console.log(`${v.label}, median ms per call by stage:`);
      for (const [name, t] of stageTimes.get(v) ?? []) console.log(`  ${stats(t).median.toFixed(2).padStart(8)}  ${name}`);
    }
  }
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
