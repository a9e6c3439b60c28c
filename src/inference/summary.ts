/**
 * The per-parameter summary of a run (mean, sd, 5/50/95% quantiles, MCSE of the mean, R-hat,
 * bulk and tail ESS; ./diagnostics.ts) and the sampler's own statistics (divergences, tree
 * depths, step sizes, ESS per hour), as JSON and as a terminal table.
 */
import { essBulk, essTail, mcseMean, quantile, rhat, type Chains } from './diagnostics';

export interface ParameterSummary {
  name: string;
  derived: boolean;
  mean: number;
  sd: number;
  q5: number;
  q50: number;
  q95: number;
  mcse_mean: number;
  rhat: number;
  ess_bulk: number;
  ess_tail: number;
}

export interface ChainStats {
  chain: number;
  draws: number;
  divergences: number;
  max_treedepth_hits: number;
  mean_treedepth: number;
  mean_accept_stat: number;
  step_size: number;
  leapfrogs: number;
  wall_s: number;
}

export interface RunSummary {
  root: string;
  chains: number;
  draws_per_chain: number;
  parameters: ParameterSummary[];
  sampler: ChainStats[];
  divergences: number;
  /** the run's wall time (see wall_s_from) */
  wall_s: number;
  wall_s_from: 'command' | 'slowest chain';
  /** min bulk ESS over the sampled (not derived) parameters, and per hour of wall time */
  ess_bulk_min: number;
  ess_per_hour_min: number;
  rhat_max: number;
}

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** One parameter's summary over chains of equal length. */
export function summariseParameter(name: string, chains: Chains, derived = false): ParameterSummary {
  const all = chains.flatMap((c) => Array.from(c));
  const mu = meanOf(all);
  let v = 0;
  for (const x of all) v += (x - mu) ** 2;
  return {
    name,
    derived,
    mean: mu,
    sd: Math.sqrt(v / (all.length - 1)),
    q5: quantile(chains, 0.05),
    q50: quantile(chains, 0.5),
    q95: quantile(chains, 0.95),
    mcse_mean: mcseMean(chains),
    rhat: rhat(chains),
    ess_bulk: essBulk(chains),
    ess_tail: essTail(chains),
  };
}

function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(digits - 1);
  return x.toPrecision(digits);
}

/** The summary as an aligned text table (one row per parameter; derived ones marked *). */
export function summaryTable(s: RunSummary): string {
  const head = ['parameter', 'mean', 'sd', '5%', '50%', '95%', 'mcse', 'R-hat', 'ESS bulk', 'ESS tail'];
  const rows = s.parameters.map((p) => [
    p.derived ? `${p.name}*` : p.name,
    fmt(p.mean, 5),
    fmt(p.sd, 3),
    fmt(p.q5, 5),
    fmt(p.q50, 5),
    fmt(p.q95, 5),
    fmt(p.mcse_mean, 2),
    Number.isFinite(p.rhat) ? p.rhat.toFixed(3) : 'NaN',
    Number.isFinite(p.ess_bulk) ? p.ess_bulk.toFixed(0) : 'NaN',
    Number.isFinite(p.ess_tail) ? p.ess_tail.toFixed(0) : 'NaN',
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  const lines = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const steps = s.sampler.map((c) => c.step_size.toPrecision(3)).join(', ');
  const depth = s.sampler.map((c) => c.mean_treedepth.toFixed(1)).join(', ');
  const hits = s.sampler.reduce((a, c) => a + c.max_treedepth_hits, 0);
  lines.push(
    '',
    `${s.chains} chains x ${s.draws_per_chain} draws; wall ${fmtDuration(s.wall_s)}; min bulk ESS ${s.ess_bulk_min.toFixed(0)} (${s.ess_per_hour_min.toFixed(0)} per hour); max R-hat ${s.rhat_max.toFixed(3)}`,
    `divergences ${s.divergences}; step sizes ${steps}; mean tree depth ${depth}${hits ? `; ${hits} draws hit the maximum tree depth` : ''}`,
  );
  if (s.divergences > 0) lines.push(`warning: ${s.divergences} divergent transitions after warm-up: the posterior may be biased there (raise targetAccept, reparametrise)`);
  if (s.rhat_max > 1.01) lines.push(`warning: R-hat ${s.rhat_max.toFixed(3)} > 1.01: the chains have not converged (run longer)`);
  return lines.join('\n') + '\n';
}

export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
