/**
 * Command dispatch for `clax-pt`. Each command validates its input before computing and
 * reports bad input as one line naming the field (no stack trace), with exit status 2.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBackend } from '../backend';
import { getPlan } from '../plan';
import { computeComponents } from '../compute';
import { caseInputs, readCaseFile, InputError, type CaseFile } from './case-file';
import { assembleSpectra } from './spectra';

const HELP = `clax-pt: CLASS-PT one-loop power spectra on TensorFlow.js

Usage:
  clax-pt predict --case FILE [--backend wasm|cpu|node]
      Reads one case in the oracle format (JSON, or .json.gz) and prints JSON
      {"k_Mpc": [...], "components_Mpc3": {...}, "spectra_hMpc3": {...}}.
  clax-pt compute [--backend wasm|cpu|node] [--json]
      Computes the spectra of the built-in default cosmology (Planck 2018-like, z = 0.5)
      and prints a table of k (h/Mpc) and the spectra ((Mpc/h)^3).
  clax-pt --help | clax-pt <command> --help

Environment: CLAX_PT_BACKEND selects the tensor backend (default wasm, fallback cpu).
`;

const PREDICT_HELP = `clax-pt predict --case FILE [--backend NAME]

Uses only input, settings, derived.{h, z, f, hratio, Dratio, n_s, rs_drag_Mpc, A_s},
output.k_Mpc and output.bias of the case; prints components in Mpc^3 (classy's
get_pk_mult rows) and spectra in (Mpc/h)^3 with the case's nuisance parameters.
`;

const COMPUTE_HELP = `clax-pt compute [--backend NAME] [--json]

Computes the spectra for the built-in default cosmology (data/default-cosmology.json).
`;

export function defaultCosmologyPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../data', '../../data', '../../../data']) {
    const p = join(here, rel, 'default-cosmology.json');
    if (existsSync(p)) return p;
  }
  throw new Error('cannot find data/default-cosmology.json next to the package');
}

export interface Prediction {
  k_Mpc: number[];
  components_Mpc3: Record<string, number[]>;
  spectra_hMpc3: Record<string, number[]>;
}

/** Runs one case in the oracle format and returns plain arrays. */
export async function predictCase(c: CaseFile, backend?: string): Promise<Prediction> {
  const inputs = caseInputs(c);
  await useBackend(backend);
  const plan = getPlan({ n: inputs.n });
  const result = computeComponents(plan, [inputs.cosmology], { ...inputs.options, kOutMpc: inputs.kOutMpc });
  try {
    const components: Record<string, number[]> = {};
    for (const [name, t] of Object.entries(result.components)) components[name] = Array.from(t.dataSync());
    const spectra = assembleSpectra(components, inputs);
    return { k_Mpc: Array.from(result.kOutMpc[0]), components_Mpc3: components, spectra_hMpc3: spectra };
  } finally {
    result.dispose();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (command === 'predict') {
      const { values } = parseArgs({
        args: rest,
        options: { case: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
        allowPositionals: false,
      });
      if (values.help) {
        process.stdout.write(PREDICT_HELP);
        return 0;
      }
      if (!values.case) throw new InputError('--case: required (path to a case JSON file)');
      const prediction = await predictCase(readCaseFile(values.case), values.backend);
      process.stdout.write(JSON.stringify(prediction) + '\n');
      return 0;
    }
    if (command === 'compute') {
      const { values } = parseArgs({
        args: rest,
        options: { backend: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
        allowPositionals: false,
      });
      if (values.help) {
        process.stdout.write(COMPUTE_HELP);
        return 0;
      }
      const c = readCaseFile(defaultCosmologyPath());
      const prediction = await predictCase(c, values.backend);
      if (values.json) {
        process.stdout.write(JSON.stringify(prediction) + '\n');
      } else {
        process.stdout.write(formatTable(prediction, caseInputs(c).h));
      }
      return 0;
    }
    throw new InputError(`unknown command '${command}' (try clax-pt --help)`);
  } catch (e) {
    const err = e as Error & { code?: string };
    const known = err instanceof InputError || err instanceof RangeError || err?.code?.startsWith?.('ERR_PARSE_ARGS');
    process.stderr.write(`clax-pt: ${err?.message ?? String(e)}\n`);
    if (!known && process.env.CLAX_PT_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return known ? 2 : 1;
  }
}

function formatTable(p: Prediction, h: number): string {
  const names = Object.keys(p.spectra_hMpc3);
  const cols = names.length > 0 ? names : Object.keys(p.components_Mpc3);
  const source = names.length > 0 ? p.spectra_hMpc3 : p.components_Mpc3;
  const head = ['k [h/Mpc]', ...cols].map((s) => s.padStart(13)).join('');
  const lines = [head];
  p.k_Mpc.forEach((k, i) => {
    const row = [(k / h).toExponential(5), ...cols.map((c) => source[c][i].toExponential(5))];
    lines.push(row.map((s) => s.padStart(13)).join(''));
  });
  return lines.join('\n') + '\n';
}
