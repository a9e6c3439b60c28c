/**
 * From a config file (or --boss DIR) to what the sampler needs: the TargetSpec (how any thread
 * or process builds the posterior) and the `"sampler"` block. configToTargetSpec is the ONE
 * place that knows the kinds of targets: {"analytic": {...}} (the test posteriors of
 * src/inference/analytic-targets.ts), {"target": {"module": "./file.mjs", "config": ...}} (any
 * module exporting createTarget, path relative to the config file); the likelihood's configs
 * join them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ClaxPtInputError } from '../errors';
import { analyticTarget } from '../inference/analytic-targets';
import type { TargetSpec } from '../inference/target';
import { checkConfig } from '../likelihood/config';
import { presetConfigPath } from '../likelihood/node-files';

export interface SampleConfig {
  spec: TargetSpec;
  /** the raw "sampler" block (checked by parseSamplerSettings) */
  sampler: unknown;
}

/** top-level keys every config may have besides its target */
const COMMON_KEYS = ['sampler', 'comment'];

/**
 * The TargetSpec of a parsed config. `where` names the file in errors.
 * (Likelihood configs: return { module: 'likelihood', config } here, with the module added to
 * src/inference/target-loader.ts.)
 */
export function configToTargetSpec(config: Record<string, unknown>, where: string): TargetSpec {
  if ('samples' in config) {
    // a likelihood configuration (src/likelihood/config.ts): its files relative to "data" (a
    // folder relative to the config file; default the config file's own folder)
    checkConfig(config); // every field checked now, before any thread starts
    const base = dirname(resolve(where));
    const data = config.data === undefined ? base : resolve(base, String(config.data));
    if (!existsSync(data)) throw new ClaxPtInputError(`${where}: data`, `folder '${data}' does not exist`);
    return { module: 'likelihood', config: { config, dataDir: data } };
  }
  if ('analytic' in config) {
    for (const k of Object.keys(config)) if (k !== 'analytic' && !COMMON_KEYS.includes(k)) throw new ClaxPtInputError(`${where}: ${k}`, `unknown key beside "analytic" (known: analytic, ${COMMON_KEYS.join(', ')})`);
    analyticTarget(config.analytic, 'analytic'); // every field checked now, before any thread starts
    return { module: 'analytic', config: config.analytic };
  }
  if ('target' in config) {
    for (const k of Object.keys(config)) if (k !== 'target' && !COMMON_KEYS.includes(k)) throw new ClaxPtInputError(`${where}: ${k}`, `unknown key beside "target" (known: target, ${COMMON_KEYS.join(', ')})`);
    const t = config.target as Record<string, unknown> | null;
    if (!t || typeof t !== 'object' || typeof t.module !== 'string' || !t.module) throw new ClaxPtInputError(`${where}: target.module`, 'must name a module file that exports createTarget(config)');
    const file = isAbsolute(t.module) ? t.module : resolve(dirname(where), t.module);
    if (!existsSync(file)) throw new ClaxPtInputError(`${where}: target.module`, `file '${file}' does not exist`);
    return { module: pathToFileURL(file).href, config: t.config ?? null };
  }
  throw new ClaxPtInputError(where, 'names no target: expected {"analytic": {"kind": "gaussian" | "banana" | "funnel", ...}} or {"target": {"module": FILE, "config": ...}} (see clax-pt sample --help)');
}

/** The BOSS DR12 configuration from the data folder (`--boss DIR`). */
export function bossTargetSpec(dir: string): TargetSpec {
  if (!existsSync(dir)) throw new ClaxPtInputError('--boss', `folder '${dir}' does not exist`);
  const config = JSON.parse(readFileSync(presetConfigPath('boss-dr12'), 'utf8')) as unknown;
  checkConfig(config);
  return { module: 'likelihood', config: { config, dataDir: resolve(dir) } };
}

/** Reads a JSON config file: its TargetSpec and sampler block. */
export function readSampleConfig(path: string, field = '--config'): SampleConfig {
  if (!existsSync(path)) throw new ClaxPtInputError(field, `file '${path}' does not exist`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ClaxPtInputError(field, `'${path}' is not valid JSON (${(e as Error).message})`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new ClaxPtInputError(field, `'${path}' must hold a JSON object`);
  const c = config as Record<string, unknown>;
  return { spec: configToTargetSpec(c, path), sampler: c.sampler };
}
