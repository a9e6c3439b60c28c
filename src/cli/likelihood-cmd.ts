/**
 * `clax-pt likelihood`: -2 ln L of a survey (the BOSS DR12 preset with --boss DIR, or a
 * configuration file with --config FILE --data DIR) at one parameter point, with its gradient.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ClaxPtInputError } from '../errors';
import { checkBackend, parseOptions } from './args';
import type { TextSink } from './progress';
import { useBackend } from '../backend';
import { COSMO_PARAM_NAMES, COSMO_PARAM_RANGE } from '../cosmology/params';
import { presetConfigPath, readConfig, readSamples } from '../likelihood/node-files';
import { FullShapeLikelihood, type ParameterPoint } from '../likelihood/full-shape-likelihood';
import { NUISANCE_NAMES, type LikelihoodConfig } from '../likelihood/config';

export const LIKELIHOOD_HELP = `clax-pt likelihood (--boss DIR | --config FILE [--data DIR]) --params FILE [--grad]

-2 ln L of a full-shape power-spectrum likelihood at one parameter point, the linear
parameters (bGamma3, cs0, cs2, cs4, b4, Pshot, a0, a2) marginalised analytically, and with
--grad its derivatives with respect to every parameter in FILE (reverse mode through the
emulator, the one-loop engine and the marginalisation). Prints JSON
  {"minus2lnL": x, "samples": {"ngc_z1": x, ...}, "parts": {...},
   "marginalised": {"ngc_z1": {"bGamma3": x, ...}, ...}, "marginalised_sd": {...},
   "gradient": {"omega_cdm": x, ..., "ngc_z1.b1": x, ...}}
"marginalised" holds the posterior means of the linear parameters (the best fit, for plots).
-2 ln L includes each sample's Gaussian priors on b2, bG2 (as the published likelihood does),
not the priors on the cosmological parameters.

FILE: {"omega_b", "omega_cdm", "h", "ln10^{10}A_s", "n_s", "m_ncdm",
       "ngc_z1": {"b1", "b2", "bG2"}, "sgc_z1": {...}, ...}   (or flat keys "ngc_z1.b1")
The cosmological parameters given in FILE are used (a configuration's fixed values are the
defaults for those it omits).

Options
  --boss DIR        the BOSS DR12 analysis (Philcox & Ivanov 2022; data/likelihoods/boss-dr12.json)
                    with its files (boss_pk_<sample>.dat, boss_cov_<sample>.dat) in DIR
  --config FILE     a likelihood configuration (JSON; see the README), e.g.
                    data/mock-survey/mock-noisy.json
  --data DIR        the folder its file names are relative to (default: the configuration's
                    "data" entry, relative to its file, else the file's folder)
  --params FILE     the parameter point (required)
  --grad            also print the gradient
  --backend NAME    wasm (default), cpu or node
  -h, --help        this help
`;

const OPTIONS = {
  boss: { type: 'string' as const },
  config: { type: 'string' as const },
  data: { type: 'string' as const },
  params: { type: 'string' as const },
  grad: { type: 'boolean' as const },
  backend: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

/** The parameter point of a --params file: nested per-sample objects or flat 'sample.name' keys. */
export function readParameterPoint(path: string): ParameterPoint {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ClaxPtInputError('--params', `cannot read ${path} as JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ClaxPtInputError('--params', 'expected a JSON object of parameters');
  const point: ParameterPoint = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === 'label') continue;
    if (typeof v === 'number') point[k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [n, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x !== 'number' || !Number.isFinite(x)) throw new ClaxPtInputError(`params.${k}.${n}`, `must be a finite number, got ${JSON.stringify(x)}`);
        point[`${k}.${n}`] = x;
      }
    } else throw new ClaxPtInputError(`params.${k}`, `must be a number or an object of numbers, got ${JSON.stringify(v)}`);
  }
  return point;
}

/** The configuration with every cosmological parameter present in the point made free (sampled). */
export function freeingGiven(config: LikelihoodConfig, point: ParameterPoint): LikelihoodConfig {
  const cosmology = { ...config.cosmology };
  for (const p of COSMO_PARAM_NAMES) {
    if (point[p] !== undefined && cosmology[p].fixed !== undefined) cosmology[p] = { bounds: COSMO_PARAM_RANGE[p], latex: cosmology[p].latex };
  }
  return { ...config, cosmology };
}

/** Refuses keys that name no parameter of the likelihood. */
function checkPointKeys(config: LikelihoodConfig, point: ParameterPoint): void {
  const samples = new Set(config.samples.map((s) => s.name));
  for (const key of Object.keys(point)) {
    if ((COSMO_PARAM_NAMES as readonly string[]).includes(key)) continue;
    const dot = key.lastIndexOf('.');
    const sample = key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (dot > 0 && samples.has(sample) && (NUISANCE_NAMES as readonly string[]).includes(name)) continue;
    throw new ClaxPtInputError(`params.${key}`, `not a parameter of this likelihood (cosmology: ${COSMO_PARAM_NAMES.join(', ')}; per sample ${[...samples].join(', ')}: ${NUISANCE_NAMES.join(', ')})`);
  }
}

export async function likelihoodCommand(args: string[], io: { stdout: TextSink }): Promise<number> {
  const { values } = parseOptions('likelihood', args, OPTIONS);
  if (values.help) {
    io.stdout.write(LIKELIHOOD_HELP);
    return 0;
  }
  checkBackend(values.backend);
  if (values.boss && values.config) throw new ClaxPtInputError('--config', 'give --boss DIR or --config FILE --data DIR, not both');
  if (!values.boss && !values.config) throw new ClaxPtInputError('--boss', 'required: --boss DIR (BOSS DR12) or --config FILE --data DIR');
  if (!values.params) throw new ClaxPtInputError('--params', 'required (a JSON file with the parameter point)');
  const config = readConfig(values.boss ? presetConfigPath('boss-dr12') : (values.config as string));
  const point = readParameterPoint(values.params as string);
  checkPointKeys(config, point);
  const free = freeingGiven(config, point);
  // the data folder: --boss DIR, --data DIR, or the configuration's "data" (relative to its file), or its folder
  const dataDir = (values.boss ?? values.data ?? resolve(dirname(values.config as string), config.data ?? '.')) as string;
  const likelihood = new FullShapeLikelihood(free, readSamples(free, dataDir));
  await useBackend(values.backend as string | undefined);
  const r = likelihood.evaluate(point, { gradient: Boolean(values.grad) });
  const out: Record<string, unknown> = {
    minus2lnL: r.minus2lnL,
    samples: r.samples,
    parts: r.parts,
    marginalised: Object.fromEntries(Object.entries(r.marginalised).map(([s, m]) => [s, Object.fromEntries(Object.entries(m).map(([p, v]) => [p, v.mean]))])),
    marginalised_sd: Object.fromEntries(Object.entries(r.marginalised).map(([s, m]) => [s, Object.fromEntries(Object.entries(m).map(([p, v]) => [p, v.sd]))])),
  };
  if (r.gradient) out.gradient = r.gradient;
  io.stdout.write(JSON.stringify(out) + '\n');
  return 0;
}
