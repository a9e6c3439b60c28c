/**
 * `clax-pt sample` (NUTS chains to GetDist files, summary and figures) and `clax-pt chains`
 * (summary and figures of an output folder again: e.g. after `--chain I` processes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { ClaxPtInputError } from '../errors';
import { readOutput, summariseOutput } from '../inference/node/read-output';
import { runSampling } from '../inference/node/sample-run';
import { summaryPath, writeFileAtomic } from '../inference/node/chain-files';
import { checkSetting, DEFAULT_SETTINGS, parseSamplerSettings, type SamplerSettings } from '../inference/settings';
import { summaryTable } from '../inference/summary';
import type { TargetSpec } from '../inference/target';
import { parseNumber, parseOptions, type OptionSpecs } from './args';
import { writeRunPlots } from './chain-plots';
import type { TextSink } from './progress';
import { bossTargetSpec, readSampleConfig } from './sample-config';
import { ChainsProgress } from './sample-progress';

export const SAMPLE_OPTIONS: OptionSpecs = {
  config: { type: 'string' },
  boss: { type: 'string' },
  chains: { type: 'string' },
  warmup: { type: 'string' },
  samples: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  chain: { type: 'string' },
  resume: { type: 'boolean' },
  workers: { type: 'string' },
  metric: { type: 'string' },
  'metric-estimate': { type: 'string' },
  'max-depth': { type: 'string' },
  'target-accept': { type: 'string' },
  init: { type: 'string' },
  root: { type: 'string' },
  'save-warmup': { type: 'boolean' },
  'no-plots': { type: 'boolean' },
  params: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

export const SAMPLE_HELP = `clax-pt sample (--config FILE | --boss DIR) [options]

Samples the posterior with the No-U-Turn sampler (Stan's algorithm: multinomial trajectories,
dual-averaging step size, windowed diagonal or dense metric adaptation) in parallel chains,
and writes, in --out DIR:
  <root>_<i>.txt            GetDist chains (weight, -ln posterior, parameters, derived), i = 1..
  <root>.paramnames/.ranges GetDist's names (derived ones marked *) and prior ranges
  summary.json              per parameter mean, sd, quantiles, R-hat, bulk/tail ESS; wall time,
                            divergences, tree depths, step sizes, ESS per hour
  corner.svg/.png, trace.svg/.png   the figures
  sampler/                  checkpoints, per-draw sampler statistics, the run's description
The summary table is printed on stdout, progress on stderr. Ctrl-C (or SIGTERM) stops every
chain after its current iteration with valid files; the same command with --resume continues
exactly where it stopped (the same draws as an uninterrupted run).

Config file (JSON): the target, and a "sampler" block whose fields the flags override:
  {"analytic": {"kind": "gaussian" | "banana" | "funnel", ...},    (or, for your own posterior:
                 "target": {"module": "./post.mjs", "config": ...}: a module, relative to the
                 config file, exporting async createTarget(config), see the README)
   "sampler": {"chains": 4, "warmup": 1000, "samples": 1000, "seed": 1, "maxTreeDepth": 10,
               "targetAccept": 0.8, "metric": "diag", "metricEstimate": "fisher",
               "root": "chain", "init": "initial",
               "initRadius": 2, "saveWarmup": false, "checkpointSeconds": 10}}

Options
  --config FILE        the config file
  --boss DIR           the BOSS DR12 configuration with the data in DIR
  --out DIR            the output folder (default ./chains)
  --chains N           number of chains (default 4)
  --warmup N           warm-up iterations per chain (default 1000)
  --samples N          draws kept per chain (default 1000)
  --seed K             the seed; chain i draws from the stream (K, i) (default 1)
  --chain I            run chain I only, in this process (for job arrays: one process per
                       chain, any machines, the same --out; the files merge by themselves and
                       'clax-pt chains --out DIR' summarises them)
  --resume             continue the chains in --out from their checkpoints
  --workers N          worker threads at once (default: one per core, at most one per chain;
                       0: the chains one after another in this thread)
  --metric diag|dense  the metric adapted in warm-up (default diag; dense with --boss)
  --metric-estimate fisher|covariance
                       how each warm-up window estimates it: from the draws' positions and
                       gradients (default; exact for a Gaussian posterior from a few tens of
                       draws) or from their positions alone (Stan)
  --max-depth N        maximum tree depth (default 10)
  --target-accept X    target acceptance statistic of the step-size adaptation (default 0.8)
  --init initial|map   start near the target's initial point, or at the MAP with its inverse
                       Hessian as the first metric (default initial; map with --boss)
  --root NAME          file root (default chain)
  --save-warmup        also write the warm-up draws (OUT/warmup/<root>_<i>.txt)
  --params A,B,...     corner-plot parameters (default: up to 8 sampled, then derived ones)
  --no-plots           no figures
  -q, --quiet          no progress lines
  -h, --help           this help
Exit status: 0 done, 130 stopped by Ctrl-C/SIGTERM (resumable), 2 bad input, 1 otherwise.
`;

export const CHAINS_OPTIONS: OptionSpecs = {
  out: { type: 'string' },
  params: { type: 'string' },
  markers: { type: 'string' },
  'no-plots': { type: 'boolean' },
  'include-incomplete': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const CHAINS_HELP = `clax-pt chains --out DIR [options]

Summarises the chains of a sampling run in DIR (written by one 'clax-pt sample' or by several
'--chain I' processes, finished or stopped): prints the summary table, writes DIR/summary.json
and the figures (corner and trace plots, SVG and PNG).

Options
  --out DIR               the run's folder (required)
  --params A,B,...        corner-plot parameters
  --markers FILE          JSON {"name": value, ...}: reference values drawn as dashed lines
  --include-incomplete    also use chains that have not finished (default: finished ones only)
  --no-plots              no figures
  -h, --help              this help
`;

function numberFlag(values: Record<string, unknown>, flag: string, key: keyof SamplerSettings, settings: SamplerSettings): void {
  const raw = values[flag];
  if (raw === undefined) return;
  (settings as unknown as Record<string, unknown>)[key] = checkSetting(key, parseNumber(`--${flag}`, raw as string), `--${flag}`);
}

/**
 * The sampler's defaults for --boss (flags override them): a dense metric (the cosmological
 * parameters and the four b1 are strongly correlated) and chains started around the MAP with
 * its inverse Hessian as first metric.
 */
export const BOSS_SAMPLER = { metric: 'dense', init: 'map' } as const;

/** the TargetSpec and settings from --config/--boss and the flags */
export function sampleInputs(values: Record<string, unknown>): { spec: TargetSpec; settings: SamplerSettings } {
  if (values.config && values.boss) throw new ClaxPtInputError('--boss', 'give either --config or --boss, not both');
  let spec: TargetSpec;
  let block: unknown;
  if (values.config) ({ spec, sampler: block } = readSampleConfig(values.config as string));
  else if (values.boss) {
    spec = bossTargetSpec(values.boss as string);
    block = BOSS_SAMPLER;
  }
  else throw new ClaxPtInputError('--config', 'required (or --boss DIR); see clax-pt sample --help');
  const settings = parseSamplerSettings(block, DEFAULT_SETTINGS, 'sampler');
  numberFlag(values, 'chains', 'chains', settings);
  numberFlag(values, 'warmup', 'warmup', settings);
  numberFlag(values, 'samples', 'samples', settings);
  numberFlag(values, 'seed', 'seed', settings);
  numberFlag(values, 'max-depth', 'maxTreeDepth', settings);
  numberFlag(values, 'target-accept', 'targetAccept', settings);
  for (const [flag, key] of [
    ['metric', 'metric'],
    ['metric-estimate', 'metricEstimate'],
    ['init', 'init'],
    ['root', 'root'],
  ] as const) {
    if (values[flag] !== undefined) (settings as unknown as Record<string, unknown>)[key] = checkSetting(key, values[flag], `--${flag}`);
  }
  if (values['save-warmup']) settings.saveWarmup = true;
  if (settings.maxTreeDepth > 30) throw new ClaxPtInputError('--max-depth', `must be at most 30, got ${settings.maxTreeDepth}`);
  return { spec, settings };
}

function listFlag(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = String(raw)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) throw new ClaxPtInputError('--params', 'expected a comma-separated list of parameter names');
  return list;
}

function readMarkers(path: unknown): Record<string, number> | undefined {
  if (path === undefined) return undefined;
  const p = String(path);
  if (!existsSync(p)) throw new ClaxPtInputError('--markers', `file '${p}' does not exist`);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new ClaxPtInputError('--markers', `'${p}' is not valid JSON (${(e as Error).message})`);
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new ClaxPtInputError('--markers', 'must hold an object {"name": value}');
  for (const [k, v] of Object.entries(m)) if (typeof v !== 'number' || !Number.isFinite(v)) throw new ClaxPtInputError(`--markers: ${k}`, `must be a finite number, got ${JSON.stringify(v)}`);
  return m as Record<string, number>;
}

export async function sampleCommand(args: string[], io: { stdout: TextSink; stderr: TextSink }): Promise<number> {
  const { values } = parseOptions('sample', args, SAMPLE_OPTIONS);
  if (values.help) {
    io.stdout.write(SAMPLE_HELP);
    return 0;
  }
  const { spec, settings } = sampleInputs(values);
  const out = (values.out as string | undefined) ?? 'chains';
  let chains: number[] | undefined;
  if (values.chain !== undefined) {
    const i = parseNumber('--chain', values.chain as string);
    if (!Number.isSafeInteger(i) || i < 1) throw new ClaxPtInputError('--chain', `must be a positive integer (chains are numbered from 1), got ${String(values.chain)}`);
    chains = [i];
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = parseNumber('--workers', values.workers as string);
    if (!Number.isSafeInteger(workers) || workers < 0) throw new ClaxPtInputError('--workers', `must be a non-negative integer, got ${String(values.workers)}`);
  }
  if (chains) workers = 0; // one chain, in this process
  const params = listFlag(values.params);

  const stop = new Int32Array(new SharedArrayBuffer(4));
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals === 1) {
      Atomics.store(stop, 0, 1);
      io.stderr.write('\nclax-pt: stopping every chain after its current iteration (its files stay valid; continue with --resume). Again to quit at once.\n');
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const numbers = chains ?? Array.from({ length: settings.chains }, (_, i) => i + 1);
  const progress = values.quiet ? null : new ChainsProgress(io.stderr, numbers);
  try {
    const result = await runSampling({
      spec,
      settings,
      out,
      chains,
      workers,
      resume: Boolean(values.resume),
      stop,
      onProgress: (p) => progress?.update(p),
      log: (m) => (progress ? progress.log(`clax-pt: ${m}`) : io.stderr.write(`clax-pt: ${m}\n`)),
    });
    progress?.finish();
    if (result.summary) {
      io.stdout.write(summaryTable(result.summary));
      io.stderr.write(`clax-pt: wrote ${summaryPath(out)}\n`);
    }
    if (result.interrupted) {
      io.stderr.write(`clax-pt: stopped; the chains in ${out} are resumable: run the same command with --resume\n`);
      return 130;
    }
    if (!chains && !values['no-plots'] && result.summary) {
      const files = await writeRunPlots(readOutput(out), out, { params });
      if (files.length) io.stderr.write(`clax-pt: wrote ${files.join(', ')}\n`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function chainsCommand(args: string[], io: { stdout: TextSink; stderr: TextSink }): Promise<number> {
  const { values } = parseOptions('chains', args, CHAINS_OPTIONS);
  if (values.help) {
    io.stdout.write(CHAINS_HELP);
    return 0;
  }
  if (!values.out) throw new ClaxPtInputError('--out', 'required (the folder of a sampling run)');
  const out = values.out as string;
  const markers = readMarkers(values.markers);
  const params = listFlag(values.params);
  const output = readOutput(out);
  const summary = summariseOutput(output, { includeIncomplete: Boolean(values['include-incomplete']) });
  if (!summary) throw new ClaxPtInputError('--out', `${out} has no chain with at least 4 draws yet`);
  writeFileAtomic(summaryPath(out), JSON.stringify(summary, null, 1));
  io.stdout.write(summaryTable(summary));
  io.stderr.write(`clax-pt: wrote ${summaryPath(out)}\n`);
  if (!values['no-plots']) {
    const chains = values['include-incomplete'] ? output.chains.map((c) => c.chain) : undefined;
    const files = await writeRunPlots(output, out, { params, markers, chains });
    if (files.length) io.stderr.write(`clax-pt: wrote ${files.join(', ')}\n`);
  }
  return 0;
}
