/**
 * The benchmark's forward and batch-size sweep in headless Chromium through the browser bundle
 * (dist/browser, `npm run build`), for the backends that live in browsers (webgl; wasm for
 * comparison):
 *
 *   npx tsx benchmarks/browser.ts [--backend webgl] [--reps 5] [--sweep 1,4,16,64,256,1024] [--sweep-budget 300] [--json]
 *
 * Same forward as benchmarks/worker.ts (fiducial case, components 'spectra' + 12 spectra, read
 * back), same batch variants (./common.ts). Chromium here renders WebGL with SwiftShader (a CPU):
 * its numbers say nothing about a real GPU.
 */
import { openPage } from '../scripts/chromium';
import { fmtMs, table, variantFactors } from './common';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const backend = opt('backend', 'webgl');
const reps = Number(opt('reps', '5'));
const sweepArg = opt('sweep', '1,4,16,64,256,1024');
const sweep = sweepArg === 'none' ? [] : sweepArg.split(',').map(Number);
const budgetMs = 1000 * Number(opt('sweep-budget', '300'));
const factors = Object.fromEntries(sweep.map((n) => [n, Array.from({ length: n }, (_, i) => variantFactors(i, n))]));

const s = await openPage('benchmarks/browser.html');
try {
  await s.page.waitForFunction('window.ready === true', { timeout: 120_000 });
  s.page.setDefaultTimeout(0);
  const r = (await s.page.evaluate(
    (o: unknown) => (globalThis as unknown as { bench(o: unknown): Promise<unknown> }).bench(o),
    { backend, reps, sweep, factors, budgetMs },
  )) as { backend: string; forward_ms: number; first_forward_ms: number; plan_build_ms: number; batch_sweep: { batch: number; ms?: number; per_cosmology_ms?: number; cosmologies_per_s?: number; skipped?: string }[] };
  if (s.errors.length) throw new Error(`browser errors: ${s.errors.join('; ')}`);
  console.log(`${r.backend} in headless Chromium: forward ${fmtMs(r.forward_ms)} ms (first ${fmtMs(r.first_forward_ms)}, plan ${fmtMs(r.plan_build_ms)})`);
  console.log(
    table(
      ['batch', 'call ms', 'ms per cosmology', 'cosmologies / s'],
      r.batch_sweep.map((p) => (p.skipped ? [String(p.batch), 'skipped', p.skipped, ''] : [String(p.batch), fmtMs(p.ms), fmtMs(p.per_cosmology_ms), (p.cosmologies_per_s ?? 0).toFixed(1)])),
    ),
  );
  if (args.includes('--json')) console.log(JSON.stringify({ ...r, browser: 'chromium (headless)', case: 'fiducial' }));
} finally {
  await s.close();
}
