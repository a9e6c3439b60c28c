/**
 * A/B timing of the working tree against a git ref in ONE process (same load, same backend):
 *
 *   npx tsx benchmarks/ab.ts [ref=HEAD] [--batch 32] [--reps 7] [--backend wasm] [--components spectra] [--stock-slice] [--grad] [--stock-ops-a]
 *
 * The ref's src/ is extracted with `git archive` into a temporary folder that links this
 * checkout's node_modules (one tfjs instance, shared backend), and both versions run the
 * fiducial forward (computeComponents + the 12 spectra + read-back), alternating A and B, so
 * that the ratio B/A is measured under the same machine load. Values are compared too.
 * --grad times the gradient of S = sum gg_l0 (nuisance parameters and f, through
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
const gradMode = args.includes('--grad');
/** --stock-ops-a: A (a ref with src/private-ops.ts) runs its tensor stages on tfjs's stock kernels (setOwnWasmKernels(false)) */
const stockOpsForA = args.includes('--stock-ops-a');

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
  const run = async (v: Version): Promise<Record<string, Float32Array>> => {
    if (stockSliceForA) (v === A ? kernels.uninstallWasmKernels : () => kernels.setOwnWasmKernels(true))();
    restore(v === A ? (registryOfA ?? stockRegistry) : stockRegistry);
    try {
      return gradMode ? await runGrad(v) : await runForward(v);
    } finally {
      if (v === A && !registryOfA) registryOfA = snapshot();
    }
  };
  const runGrad = async (v: Version): Promise<Record<string, Float32Array>> => {
    const plan = v.plan.getPlan({ n: inputs.n });
    const bias = inputs.bias as Record<string, number>;
    const names = ['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'Pshot', 'a0', 'a2', 'b4'].filter((k) => k in bias); // what pk_gg_l0 uses
    const xs = [...names.map((k) => tf.scalar(bias[k])), tf.scalar(inputs.cosmology.f as number)];
    const res = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...t: import('@tensorflow/tfjs-core').Tensor[]) => {
        const f = t[names.length];
        const r = v.compute.computeComponents(plan, [{ ...inputs.cosmology, f }], { ...inputs.options, kOutMpc: inputs.kOutMpc, components } as never);
        const p = Object.fromEntries(names.map((k, i) => [k, t[i]]));
        return tf.sum(v.spectra.pkGgL0(r.components, p as never, { h: inputs.h, f, kOutMpc: inputs.kOutMpc })) as import('@tensorflow/tfjs-core').Scalar;
      })(xs);
      return [value, ...grads];
    });
    const data = await Promise.all(res.map((x) => x.data()));
    tf.dispose([...res, ...xs]);
    return { S_and_grads: Float32Array.from(data.map((d) => d[0])) };
  };
  const runForward = async (v: Version): Promise<Record<string, Float32Array>> => {
    const plan = v.plan.getPlan({ n: inputs.n });
    const r = v.compute.computeComponents(plan, cosmologies, { ...inputs.options, kOutMpc: inputs.kOutMpc, components } as never);
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
  console.log(`${gradMode ? 'gradient of S, ' : ''}backend ${backend}, batch ${batch}, components ${components}, reps ${reps}, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
  console.log(`${A.label}: median ${per(sa.median)} ms/cosmology (min ${per(sa.min)})`);
  console.log(`${B.label}: median ${per(sb.median)} ms/cosmology (min ${per(sb.min)})`);
  console.log(`ratio B/A: median ${(sb.median / sa.median).toFixed(3)}, min ${(sb.min / sa.min).toFixed(3)}`);
  console.log(`max rel diff B vs A: ${worst.toExponential(2)} (${worstName})${missing.length ? `; missing in B: ${missing.join(', ')}` : ''}`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
