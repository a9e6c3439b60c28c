/**
 * Node-only: a likelihood from a configuration file (or object) and a data folder on disk.
 * The core (./data.ts, ./config.ts, ./full-shape-likelihood.ts) takes text and objects, so that
 * a browser can build the same likelihood from fetched or dropped files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClaxPtInputError } from '../errors';
import { checkConfig, type LikelihoodConfig } from './config';
import { parseCovariance, parseMultipoleTable, prepareSample, type SampleData } from './data';
import { FullShapeLikelihood } from './full-shape-likelihood';

/** The folder of the configurations shipped with the package (data/likelihoods). */
export function presetDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..']) {
    const dir = resolve(here, up, 'data', 'likelihoods');
    if (existsSync(dir)) return dir;
  }
  throw new Error('data/likelihoods not found next to the package');
}

/** A shipped likelihood configuration of data/likelihoods/ by name ('boss-dr12'); the mock survey's are in data/mock-survey/. */
export function presetConfigPath(name: string): string {
  const path = join(presetDirectory(), `${name}.json`);
  if (!existsSync(path)) throw new ClaxPtInputError('config', `no shipped configuration '${name}' (${path})`);
  return path;
}

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClaxPtInputError(field, `cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Parses and checks a configuration file. */
export function readConfig(path: string): LikelihoodConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readText(path, 'config'));
  } catch (e) {
    if (e instanceof ClaxPtInputError) throw e;
    throw new ClaxPtInputError('config', `${path} is not valid JSON: ${(e as Error).message}`);
  }
  return checkConfig(raw);
}

/** Reads every sample's files from `dataDir` and applies the cuts. */
export function readSamples(config: LikelihoodConfig, dataDir: string): SampleData[] {
  return config.samples.map((s, i) => {
    const pkPath = isAbsolute(s.pk) ? s.pk : join(dataDir, s.pk);
    const covPath = isAbsolute(s.cov) ? s.cov : join(dataDir, s.cov);
    const fields = { pk: `samples[${i}].pk (${pkPath})`, cov: `samples[${i}].cov (${covPath})` };
    const table = parseMultipoleTable(readText(pkPath, fields.pk), fields.pk);
    const cov = parseCovariance(readText(covPath, fields.cov), fields.cov);
    return prepareSample(s, table, cov, fields);
  });
}

/** A likelihood from a configuration (file path or checked object) and its data folder. */
export function loadLikelihood(config: string | LikelihoodConfig, dataDir: string): FullShapeLikelihood {
  const cfg = typeof config === 'string' ? readConfig(config) : config;
  return new FullShapeLikelihood(cfg, readSamples(cfg, dataDir));
}
