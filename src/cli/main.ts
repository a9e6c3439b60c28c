/**
 * Command dispatch for `clax-pt`. Each command validates its input before computing and
 * reports bad input as one line naming the field (no stack trace), with exit status 2.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClaxPtInputError, isInputError } from '../errors';
import { caseInputs, readCaseFile } from './case-file';
import { predictCase } from './predict';
import { checkBackend, parseOptions } from './args';
import { computeCommand, COMPUTE_HELP } from './compute-cmd';
import { plotCommand, PLOT_HELP } from './plot';
import { chainsCommand, CHAINS_HELP, sampleCommand, SAMPLE_HELP } from './sample-cmd';
import { fitCommand, FIT_HELP } from './fit-cmd';
import { predictGradient } from './gradient';
import type { TextSink } from './progress';
import { linearFromFile } from './cosmo';
import { likelihoodCommand, LIKELIHOOD_HELP } from './likelihood-cmd';
import { useBackend } from '../backend';
import { COSMO_PARAM_RANGE, K_RANGE_MPC, Z_RANGE } from '../cosmology/params';

export const HELP = `clax-pt: CLASS-PT one-loop power spectra (EFT of LSS) on TensorFlow.js

Usage: clax-pt <command> [options]        clax-pt <command> --help for every option

Commands
  compute   spectra for the built-in default cosmology (no options), or for linear P(k)
            tables/JSON inputs (--pk, repeatable or a folder: one batch), with scalars,
            nuisance parameters, output k, spectra and format (table, csv, json) as options
  predict   one case in the oracle format (--case FILE, JSON or .json.gz): prints JSON
            {"k_Mpc", "components_Mpc3", "spectra_hMpc3"}; --grad adds the gradient
  linear    the linear-P(k) emulator and background for cosmological parameters
            (--cosmo FILE): P_m, P_cb per z, f, H, D_A, D, sigma8, r_s,drag as JSON
  plot      figure of k P_l(k) (l = 0, 2, 4) and the real-space spectra of a case, with a
            residual panel against CLASS-PT when the case carries its answers (--out .png/.svg)
  likelihood  -2 ln L of a survey at one parameter point (--boss DIR for BOSS DR12, or
            --config FILE --data DIR), linear parameters marginalised; --grad its gradient
  fit       maximum a posteriori point of a posterior (--config FILE or --boss DIR)
  sample    NUTS chains of a posterior in parallel: GetDist files, summary (R-hat, ESS),
            corner and trace plots (--config FILE or --boss DIR, --out DIR)
  chains    summary and figures of a sampling run's folder (--out DIR)
  help      this text (clax-pt help <command>: that command's options)

Options of every command
  --backend NAME            tensor backend: wasm (default), cpu, webgpu (Node: Dawn, the npm
                            package webgpu; software rendering without a GPU), webgl
                            (browsers only) or node (@tensorflow/tfjs-node if installed); the
                            environment variable CLAX_PT_BACKEND does the same. A backend
                            named this way that cannot start is an error (no fallback)
  -h, --help                help
  --version                 the version (clax-pt --version)

Units: k in h/Mpc and spectra in (Mpc/h)^3 in tables and plots; components in Mpc^3 at k in 1/Mpc.
Exit status: 0 on success, 2 for bad input (one line naming the field), 1 otherwise.
`;

export const PREDICT_HELP = `clax-pt predict --case FILE [--grad] [--backend NAME]

Computes one case in the oracle format (JSON, or .json.gz) and prints JSON
  {"backend": "wasm", "k_Mpc": [...], "components_Mpc3": {...}, "spectra_hMpc3": {...}}
Components are classy's get_pk_mult rows in Mpc^3 at k_Mpc (1/Mpc); spectra are in (Mpc/h)^3
with the case's nuisance parameters (output.bias). Only input, settings,
derived.{h, z, f, hratio, Dratio, n_s, rs_drag_Mpc, A_s}, output.k_Mpc and output.bias are
read: never CLASS-PT's answers.

Options
  --case FILE          the case (required)
  --grad               also differentiate: prints
                         {"components_Mpc3", "spectra_hMpc3", "gradient": {"S", "wrt"}}
                       with S = sum over k in [0.005, 0.3] h/Mpc of gg_l0 + gg_l2 + gg_l4, and
                       its derivatives with respect to the nuisance parameters, f, hratio,
                       Dratio, rs_drag_Mpc and the input P_lin values
  --backend NAME       wasm (default), cpu, webgpu or node ("backend" in the output
                       names the one used; --grad needs synchronous reads: not webgpu
                       under Node)
  -h, --help           this help
`;

export const LINEAR_HELP = `clax-pt linear --cosmo FILE [--backend NAME]

The linear spectra and background of one cosmology from the emulator (trained on CLASS; see
the README): reads
  {"params": {"omega_b": .., "omega_cdm": .., "h": .., "ln10^{10}A_s": .., "n_s": ..,
              "m_ncdm": ..}, "z": [...], "k_Mpc": [...]}
and prints JSON in the CLASS training records' names and units:
  {"k_Mpc", "z", "pk_m_Mpc3": [one array per z], "pk_cb_Mpc3": [...], "f": [per z],
   "H_kms_Mpc": [...], "D_A_Mpc": [...], "D": [...], "sigma8": [...], "rs_drag_Mpc": x}

Valid range (the training set; anything outside is refused, no extrapolation)
${Object.entries(COSMO_PARAM_RANGE).map(([n, [lo, hi]]) => `  ${n.padEnd(14)} ${lo} .. ${hi}`).join('\n')}
  z              ${Z_RANGE[0]} .. ${Z_RANGE[1]}
  k_Mpc          ${K_RANGE_MPC[0]} .. ${K_RANGE_MPC[1]} (1/Mpc)
Fixed as in the training set: T_cmb = 2.7255 K, N_ur = 2.0328, one massive neutrino
(m_ncdm, T_ncdm = 0.71611), tau_reio = 0.0544, flat.

Options
  --cosmo FILE         the JSON above (required)
  --backend NAME       wasm (default), cpu, webgpu or node
  -h, --help           this help
`;

const LINEAR_OPTIONS = {
  cosmo: { type: 'string' as const },
  backend: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

async function linearCommand(args: string[], io: { stdout: TextSink }): Promise<number> {
  const { values } = parseOptions('linear', args, LINEAR_OPTIONS);
  if (values.help) {
    io.stdout.write(LINEAR_HELP);
    return 0;
  }
  checkBackend(values.backend);
  if (!values.cosmo) throw new ClaxPtInputError('--cosmo', 'required (a JSON file with params, z and k_Mpc; see clax-pt linear --help)');
  await useBackend(values.backend as string | undefined);
  io.stdout.write(JSON.stringify(linearFromFile(values.cosmo as string)) + '\n');
  return 0;
}

const PREDICT_OPTIONS = {
  case: { type: 'string' as const },
  grad: { type: 'boolean' as const },
  backend: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

function packageVersion(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const rel of ['..', '../..']) {
    const p = join(here, rel, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'clax-pt-ts') return pkg.version ?? 'unknown';
    }
  }
  return 'unknown';
}

export function defaultCosmologyPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const rel of ['../data', '../../data', '../../../data']) {
    const p = join(here, rel, 'default-cosmology.json');
    if (existsSync(p)) return p;
  }
  throw new Error('cannot find data/default-cosmology.json next to the package');
}

export { predictCase, type Prediction } from './predict';

async function predictCommand(args: string[], io: { stdout: TextSink }): Promise<number> {
  const { values } = parseOptions('predict', args, PREDICT_OPTIONS);
  if (values.help) {
    io.stdout.write(PREDICT_HELP);
    return 0;
  }
  checkBackend(values.backend);
  if (!values.case) throw new ClaxPtInputError('--case', 'required (path to a case JSON file; see clax-pt predict --help)');
  const c = readCaseFile(values.case as string);
  const backend = values.backend as string | undefined;
  if (values.grad) {
    caseInputs(c); // every check before any computation
    const prediction = await predictCase(c, backend);
    const gradient = await predictGradient(c, backend);
    io.stdout.write(
      JSON.stringify({ backend: prediction.backend, components_Mpc3: prediction.components_Mpc3, spectra_hMpc3: prediction.spectra_hMpc3, gradient }) + '\n',
    );
    return 0;
  }
  const prediction = await predictCase(c, backend);
  io.stdout.write(JSON.stringify(prediction) + '\n');
  return 0;
}

const COMMANDS = ['compute', 'linear', 'predict', 'plot', 'likelihood', 'fit', 'sample', 'chains', 'help'];

/**
 * Runs `clax-pt argv...` and returns the exit status. Output goes to `io` (default: the
 * process's stdout and stderr), so tests can run it in-process.
 */
export async function runCli(argv: string[], io: { stdout: TextSink; stderr: TextSink } = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      io.stdout.write(HELP);
      return 0;
    }
    if (command === '--version' || command === '-V') {
      io.stdout.write(`clax-pt ${packageVersion()}\n`);
      return 0;
    }
    if (command === 'help') {
      const topic = rest[0];
      if (topic === undefined || topic === '--help' || topic === '-h') io.stdout.write(HELP);
      else if (topic === 'compute') io.stdout.write(COMPUTE_HELP);
      else if (topic === 'predict') io.stdout.write(PREDICT_HELP);
      else if (topic === 'plot') io.stdout.write(PLOT_HELP);
      else if (topic === 'linear') io.stdout.write(LINEAR_HELP);
      else if (topic === 'likelihood') io.stdout.write(LIKELIHOOD_HELP);
      else if (topic === 'fit') io.stdout.write(FIT_HELP);
      else if (topic === 'sample') io.stdout.write(SAMPLE_HELP);
      else if (topic === 'chains') io.stdout.write(CHAINS_HELP);
      else throw new ClaxPtInputError('help', `unknown command '${topic}' (commands: ${COMMANDS.join(', ')})`);
      return 0;
    }
    if (command === 'predict') return await predictCommand(rest, io);
    if (command === 'compute') {
      return await computeCommand(rest, io, defaultCosmologyPath());
    }
    if (command === 'linear') return await linearCommand(rest, io);
    if (command === 'plot') return await plotCommand(rest, io, defaultCosmologyPath());
    if (command === 'likelihood') return await likelihoodCommand(rest, io);
    if (command === 'fit') return await fitCommand(rest, io);
    if (command === 'sample') return await sampleCommand(rest, io);
    if (command === 'chains') return await chainsCommand(rest, io);
    if (command.startsWith('-')) {
      throw new ClaxPtInputError(command, `unknown option: a command comes first (${COMMANDS.join(', ')}; see clax-pt --help)`);
    }
    throw new ClaxPtInputError('command', `unknown command '${command}' (commands: ${COMMANDS.join(', ')}; see clax-pt --help)`);
  } catch (e) {
    const err = e as Error;
    if (isInputError(err)) {
      io.stderr.write(`clax-pt: ${oneLine(err.message)}\n`);
      return 2;
    }
    io.stderr.write(`clax-pt: ${oneLine(err?.message ?? String(e))}\n`);
    if (process.env.CLAX_PT_DEBUG) io.stderr.write(`${err?.stack}\n`);
    return 1;
  }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
