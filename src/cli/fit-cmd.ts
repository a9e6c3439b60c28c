/**
 * `clax-pt fit`: the maximum a posteriori point (L-BFGS on the unconstrained space, optional
 * multi-start) with its Laplace standard deviations; --out DIR writes DIR/map.json (the point,
 * the Laplace covariance of the parameters and the inverse Hessian on the unconstrained space,
 * usable as a first dense metric).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClaxPtInputError } from '../errors';
import { findMap } from '../inference/map';
import { writeFileAtomic } from '../inference/node/chain-files';
import { loadTarget } from '../inference/target-loader';
import { parseNumber, parseOptions, type OptionSpecs } from './args';
import type { TextSink } from './progress';
import { sampleInputs } from './sample-cmd';

export const FIT_OPTIONS: OptionSpecs = {
  config: { type: 'string' },
  boss: { type: 'string' },
  starts: { type: 'string' },
  seed: { type: 'string' },
  jacobian: { type: 'boolean' },
  chi2: { type: 'boolean' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export const FIT_HELP = `clax-pt fit (--config FILE | --boss DIR) [options]

The maximum a posteriori point of the posterior (L-BFGS with a strong Wolfe line search, on
the unconstrained space of the bounded parameters), with Laplace standard deviations from the
Hessian at the optimum (central differences of the gradient). Prints a table (or JSON).

Options
  --config FILE    the config file (as for clax-pt sample; its "sampler" block gives the seed)
  --boss DIR       the BOSS DR12 configuration with the data in DIR
  --starts N       optimise from N starting points (the initial point, then random ones within
                   initRadius scales of it) and keep the best (default 1)
  --seed K         seed of the random starting points
  --jacobian       maximise on the unconstrained space (with log|dx/du|) instead of p(x)
  --chi2           likelihoods only: minimise the marginalised chi^2 alone (no log-determinant
                   term, no priors): the best fit to the data (0 at a noiseless mock's truth)
  --out DIR        also write DIR/map.json
  --json           print JSON instead of the table
  -h, --help       this help
`;

export async function fitCommand(args: string[], io: { stdout: TextSink; stderr: TextSink }): Promise<number> {
  const { values } = parseOptions('fit', args, FIT_OPTIONS);
  if (values.help) {
    io.stdout.write(FIT_HELP);
    return 0;
  }
  const { spec, settings } = sampleInputs({ config: values.config, boss: values.boss, seed: values.seed });
  let starts = 1;
  if (values.starts !== undefined) {
    starts = parseNumber('--starts', values.starts as string);
    if (!Number.isSafeInteger(starts) || starts < 1 || starts > 1000) throw new ClaxPtInputError('--starts', `must be an integer from 1 to 1000, got ${String(values.starts)}`);
  }
  if (values.chi2) {
    if (spec.module !== 'likelihood') throw new ClaxPtInputError('--chi2', 'applies to likelihood configurations only');
    spec.config = { ...(spec.config as object), objective: 'chi2' };
  }
  const target = await loadTarget(spec);
  try {
    const t0 = performance.now();
    const map = findMap(target, { starts, seed: settings.seed, initRadius: settings.initRadius, jacobian: Boolean(values.jacobian) });
    const wall = (performance.now() - t0) / 1000;
    const n = target.parameters.length;
    const sd = Array.from({ length: n }, (_, i) => Math.sqrt(map.covariance[i * n + i]));
    const result = {
      parameters: target.parameters.map((p, i) => ({ name: p.name, map: map.x[i], laplace_sd: sd[i], lower: p.lower ?? null, upper: p.upper ?? null })),
      log_posterior: map.logPosterior,
      ...(values.chi2 ? { chi2: -2 * map.logPosterior } : {}),
      converged: map.converged,
      message: map.message,
      iterations: map.iterations,
      evaluations: map.evaluations,
      hessian_from: map.hessianFrom,
      wall_s: wall,
      starts: map.starts,
      x: Array.from(map.x),
      u: Array.from(map.u),
      covariance: Array.from(map.covariance),
      inv_hessian_unconstrained: Array.from(map.invHessian),
    };
    if (values.out) {
      mkdirSync(values.out as string, { recursive: true });
      const path = join(values.out as string, 'map.json');
      writeFileAtomic(path, JSON.stringify(result, null, 1));
      io.stderr.write(`clax-pt: wrote ${path}\n`);
    }
    if (values.json) {
      io.stdout.write(JSON.stringify(result) + '\n');
    } else {
      const w = Math.max(9, ...target.parameters.map((p) => p.name.length));
      let s = `${'parameter'.padEnd(w)}  ${'MAP'.padStart(14)}  ${'Laplace sd'.padStart(12)}  bounds\n`;
      target.parameters.forEach((p, i) => {
        s += `${p.name.padEnd(w)}  ${map.x[i].toPrecision(8).padStart(14)}  ${sd[i].toPrecision(4).padStart(12)}  ${p.lower ?? '-inf'} .. ${p.upper ?? 'inf'}\n`;
      });
      const objective = values.chi2 ? `chi^2 ${(-2 * map.logPosterior).toPrecision(10)}` : `log posterior ${map.logPosterior.toPrecision(10)}`;
      s += `\n${objective}; ${map.converged ? 'converged' : 'NOT converged'} (${map.message}) after ${map.iterations} iterations, ${map.evaluations} evaluations, ${wall.toFixed(2)} s`;
      if (starts > 1) s += `\nstarts: ${map.starts.map((r) => r.logPosterior.toPrecision(8)).join(', ')}`;
      io.stdout.write(s + '\n');
    }
    return map.converged ? 0 : 1;
  } finally {
    target.dispose?.();
  }
}
