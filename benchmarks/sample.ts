/**
 * `npm run bench:sample [-- options]`: sampling efficiency of NUTS through a posterior (issue
 * 15): bulk ESS per hour of wall time, the number that decides how long a full-shape analysis
 * takes. Not a test: the BOSS DR12 run may take an hour.
 *
 *   (no target)       the BOSS DR12 configuration with the data in ../shared/boss (or
 *                     CLAX_PT_BOSS_DIR): 2 chains (one per core), 200 warm-up + 1000 draws each,
 *                     dense metric, started at the MAP; the headline is the cosmological
 *                     parameters. Without those files: the analytic Gaussian below.
 *   --config FILE     a sampling config (clax-pt sample's format)
 *   --boss DIR        the BOSS DR12 configuration with the data in DIR
 *   --gaussian        an analytic correlated Gaussian (10 parameters, rho 0.9, scales from 0.001
 *                     to 10): the sampler's own overhead
 *   --chains N --warmup N --samples N --seed K --workers N --metric diag|dense
 *                     override the config's "sampler" block (as clax-pt sample's flags)
 *   --params A,B,...  the parameters whose smallest bulk ESS per hour is the headline
 *                     (default: every sampled parameter; for cosmology, the cosmological ones)
 *   --out DIR         keep the chains there (default: a temporary folder, removed afterwards)
 *   --json            print one JSON object as the last line of stdout
 *
 * The run is `clax-pt sample`'s (src/inference/node/sample-run.ts): worker threads, files,
 * summary. wall_s is the whole run (target construction, warm-up, sampling, summary).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerTfjsResolveHook } from '../src/cli/node-hooks';
import { table } from './common';

// tfjs-core's ESM build imports directories; the hook resolves them, so it must be in place
// before anything imports tfjs (hence the dynamic imports)
registerTfjsResolveHook();
await import('../src/platform/node'); // the Node adapter: wasm files, and the 'likelihood' target module
const { sampleInputs } = await import('../src/cli/sample-cmd');
const { runSampling } = await import('../src/inference/node/sample-run');

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** Where the BOSS DR12 files are by default (the workplace's shared folder). */
const BOSS_DIR = process.env.CLAX_PT_BOSS_DIR ?? fileURLToPath(new URL('../../shared/boss', import.meta.url));
/** The default BOSS run: one chain per core of the 2-core machine, as documented in the README. */
const BOSS_DEFAULTS: Record<string, string> = { chains: '2', warmup: '200', samples: '1000', metric: 'dense', init: 'map' };

const DEFAULT_CONFIG = {
  analytic: { kind: 'gaussian', dim: 10, rho: 0.9, sd: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 5, 10] },
  sampler: { chains: 4, warmup: 1000, samples: 1000, metric: 'dense' },
};

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'clax-bench-sample-'));
  let config = value('--config');
  let boss = value('--boss');
  let bossDefaults = false;
  if (!config && !boss && !flag('--gaussian') && existsSync(join(BOSS_DIR, 'boss_pk_ngc_z1.dat'))) {
    boss = BOSS_DIR;
    bossDefaults = true;
  }
  if (!config && !boss) {
    config = join(tmp, 'default.json');
    writeFileSync(config, JSON.stringify(DEFAULT_CONFIG));
  }
  const d = bossDefaults ? BOSS_DEFAULTS : {};
  const { spec, settings } = sampleInputs({
    config,
    boss,
    chains: value('--chains') ?? d.chains,
    warmup: value('--warmup') ?? d.warmup,
    samples: value('--samples') ?? d.samples,
    seed: value('--seed'),
    metric: value('--metric') ?? d.metric,
    init: value('--init') ?? d.init,
  });
  const out = value('--out') ?? join(tmp, 'chains');
  const workers = value('--workers') !== undefined ? Number(value('--workers')) : undefined;
  const params = value('--params')?.split(',').map((s) => s.trim());
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const load = loadavg()[0];
  const t0 = performance.now();
  try {
    const result = await runSampling({ spec, settings, out, workers, stop, essParameters: params });
    const wall = (performance.now() - t0) / 1000;
    const s = result.summary;
    if (!s) throw new Error('no summary (the run produced no draws)');
    // headline: the named parameters, else the cosmological ones of a likelihood (names without
    // a sample prefix), else every sampled one
    const sampled = s.parameters.filter((p) => !p.derived);
    const cosmological = sampled.filter((p) => !p.name.includes('.'));
    const headline = params ? s.parameters.filter((p) => params.includes(p.name)) : cosmological.length < sampled.length ? cosmological : sampled;
    const essMin = Math.min(...headline.map((p) => p.ess_bulk));
    const rows = s.parameters.map((p) => [p.derived ? `${p.name}*` : p.name, p.mean.toPrecision(5), p.sd.toPrecision(3), p.rhat.toFixed(3), p.ess_bulk.toFixed(0), p.ess_tail.toFixed(0), ((p.ess_bulk / wall) * 3600).toFixed(0)]);
    console.log(table(['parameter', 'mean', 'sd', 'R-hat', 'ESS bulk', 'ESS tail', 'bulk ESS/h'], rows));
    console.log(
      `\n${settings.chains} chains x ${settings.samples} draws (warm-up ${settings.warmup}), ${workers ?? Math.min(settings.chains, availableParallelism())} worker(s), ${cpus().length} cores, load ${load.toFixed(2)}: wall ${wall.toFixed(1)} s; divergences ${s.divergences}; ` +
        `smallest bulk ESS ${essMin.toFixed(0)} -> ${((essMin / wall) * 3600).toFixed(0)} per hour`,
    );
    if (flag('--json')) {
      console.log(
        JSON.stringify({
          ess_per_hour_min: (essMin / wall) * 3600,
          wall_s: wall,
          ess_bulk_min: essMin,
          ess_bulk: Object.fromEntries(s.parameters.map((p) => [p.name, p.ess_bulk])),
          ess_tail: Object.fromEntries(s.parameters.map((p) => [p.name, p.ess_tail])),
          rhat: Object.fromEntries(s.parameters.map((p) => [p.name, p.rhat])),
          headline_parameters: headline.map((p) => p.name),
          divergences: s.divergences,
          chains: settings.chains,
          warmup: settings.warmup,
          samples: settings.samples,
          metric: settings.metric,
          target: spec,
          load_avg: load,
          cores: cpus().length,
        }),
      );
    }
  } finally {
    if (!value('--out')) rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`bench:sample: ${e.message}`);
  process.exitCode = 1;
});
