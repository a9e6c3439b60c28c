/**
 * The project's mock survey (data/mock-survey/): BOSS-like multipoles from this library at a
 * stated cosmology, with the analytic Gaussian covariance of a stated volume and number density,
 * noiseless and noisy (one seeded realisation), in the BOSS file layout, and two likelihood
 * configurations that use them. Regenerate with
 *
 *   npx tsx scripts/make-mock-survey.ts
 *
 * Truth (also written to data/mock-survey/truth.json): a Planck 2018-like cosmology
 * (omega_b 0.02237, omega_cdm 0.12, h 0.6736, ln10^{10}A_s 3.0448, n_s 0.9649, m_ncdm 0.06 eV);
 * four samples shaped like BOSS DR12's (z = 0.38 and 0.61, a northern and a southern cap each,
 * 1/nbar = 3500 and 5000 (Mpc/h)^3, volumes 1.5, 0.5, 2.0, 0.7 (Gpc/h)^3), biases below, and the
 * linear parameters at their prior means (bGamma3 = 23(b1-1)/42, cs2 = 30, b4 = 500, the rest 0).
 * 40 bins of width 0.005 h/Mpc from 0.01 to 0.21 h/Mpc; P0, P2, P4 bin-averaged as the likelihood
 * defines them; CLASS's P(k, z) (no CLASS-PT time interpolation), N = 128, Omfid = 0.31.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerTfjsResolveHook } from '../src/cli/node-hooks';

registerTfjsResolveHook();
await import('../src/platform/node');
const { useBackend } = await import('../src/backend');
const { checkConfig } = await import('../src/likelihood/config');
const { FullShapeLikelihood } = await import('../src/likelihood/full-shape-likelihood');
const { gaussianMultipoleCovariance, gaussianRealisation } = await import('../src/likelihood/mock');
const { cholesky, logDetFromCholesky } = await import('../src/numerics/dense');
const { Rng } = await import('../src/inference/rng');

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'mock-survey');
const COSMOLOGY = { omega_b: 0.02237, omega_cdm: 0.12, h: 0.6736, 'ln10^{10}A_s': 3.0448, n_s: 0.9649, m_ncdm: 0.06 };
const SAMPLES = [
  { name: 'ngc_z1', z: 0.38, nbarInv: 3500, volume: 1.5e9, bias: { b1: 1.95, b2: -0.6, bG2: -0.35 } },
  { name: 'sgc_z1', z: 0.38, nbarInv: 3500, volume: 0.5e9, bias: { b1: 2.0, b2: -0.4, bG2: -0.3 } },
  { name: 'ngc_z3', z: 0.61, nbarInv: 5000, volume: 2.0e9, bias: { b1: 2.15, b2: -0.3, bG2: -0.45 } },
  { name: 'sgc_z3', z: 0.61, nbarInv: 5000, volume: 0.7e9, bias: { b1: 2.2, b2: -0.2, bG2: -0.4 } },
];
const NBINS = 40;
const WIDTH = 0.005;
const SEED = 20261202;

const theory = { n: 128, omfid: 0.31, linearSpectrum: 'cb', grid: { kMin: 1e-4, points: 100, beyond: 0.01 }, binAverage: true, bG2SquaredL4Row: 'IG2G2_4', timeInterpolation: 'exact' };
const marginalised = {
  bGamma3: { mean: 'coevolution', sigma: 1 }, cs0: { mean: 0, sigma: 30 }, cs2: { mean: 30, sigma: 30 }, cs4: { mean: 0, sigma: 30 },
  b4: { mean: 500, sigma: 500 }, Pshot: { mean: 0, sigma: '1/nbar' }, a0: { mean: 0, sigma: '1/nbar' }, a2: { mean: 0, sigma: '1/nbar' },
};
const cosmologyPriors = {
  omega_b: { gaussian: [0.02268, 0.00038] },
  omega_cdm: { bounds: [0.08, 0.17] },
  h: { bounds: [0.55, 0.85] },
  'ln10^{10}A_s': { bounds: [2.4, 3.6] },
  n_s: { gaussian: [0.9649, 0.0042] },
  m_ncdm: { fixed: 0.06 },
};
const nuisance = { b1: { bounds: [0.5, 4.0] }, b2: { gaussian: [0, 1] }, bG2: { gaussian: [0, 1] } };

function writeAtomic(path: string, text: string): void {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}

await useBackend('wasm');
mkdirSync(OUT, { recursive: true });
const centres = Float64Array.from({ length: NBINS }, (_, i) => 0.01 + WIDTH * (i + 0.5));
const point: Record<string, number> = { ...COSMOLOGY };
for (const s of SAMPLES) for (const [k, v] of Object.entries(s.bias)) point[`${s.name}.${k}`] = v;
/**
 * The bin-averaged model at the first `bins` bins, from a likelihood with placeholder data (the
 * model does not depend on them) whose cut keeps those bins: with the cut at kmax = 0.2 its
 * theory grid is the one the mock configurations' likelihood uses, so the noiseless data are
 * its model exactly; the two bins past the cut come from a grid that reaches them.
 */
function modelAt(bins: number): Record<string, Float64Array> {
  const centresB = centres.subarray(0, bins);
  const cfg = checkConfig({
    name: 'mock-generator', theory, marginalised, cosmology: cosmologyPriors, nuisance,
    samples: SAMPLES.map((s) => ({ name: s.name, z: s.z, nbarInv: s.nbarInv, kmin: 0.01, kmax: centresB[bins - 1] + WIDTH / 2, ells: [0, 2, 4], pk: '-', cov: '-' })),
  });
  const n = 3 * bins;
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  const placeholder = SAMPLES.map((_, si) => ({
    spec: cfg.samples[si], kCentres: centresB, kLow: centresB.map((k) => k - WIDTH / 2), kHigh: centresB.map((k) => k + WIDTH / 2),
    data: new Float64Array(n), covariance: identity, cholesky: cholesky(identity, n)!, logDet: 0,
  }));
  const m = new FullShapeLikelihood(cfg, placeholder).evaluate(point, { model: true }).model!;
  return Object.fromEntries(SAMPLES.map((s) => [s.name, m[s.name].atPriorMean]));
}
const inCut = modelAt(38);
const wide = modelAt(NBINS);
const model = Object.fromEntries(SAMPLES.map((s) => {
  const v = Float64Array.from(wide[s.name]);
  for (let l = 0; l < 3; l++) for (let i = 0; i < 38; i++) v[l * NBINS + i] = inCut[s.name][l * 38 + i];
  return [s.name, { atPriorMean: v }];
}));
const n = 3 * NBINS;
const rng = new Rng(SEED, 0);
for (const s of SAMPLES) {
  const m = model[s.name].atPriorMean;
  const pl = { 0: m.subarray(0, NBINS), 2: m.subarray(NBINS, 2 * NBINS), 4: m.subarray(2 * NBINS, 3 * NBINS) };
  const cov = gaussianMultipoleCovariance({ kLow: centres.map((k) => k - WIDTH / 2), kHigh: centres.map((k) => k + WIDTH / 2), pl, volume: s.volume, nbarInv: s.nbarInv });
  const l = cholesky(cov, n);
  if (!l) throw new Error(`covariance of ${s.name} is not positive definite`);
  void logDetFromCholesky;
  const noisy = gaussianRealisation(m, cov, () => rng.normal());
  const table = (v: ArrayLike<number>) =>
    Array.from(centres, (k, i) => [k, v[i], v[NBINS + i], v[2 * NBINS + i]].map((x) => x.toExponential(10)).join(' ')).join('\n') + '\n';
  writeAtomic(join(OUT, `pk_${s.name}_noiseless.dat`), `# mock ${s.name}: k [h/Mpc], P0, P2, P4 [(Mpc/h)^3], bin-averaged model (scripts/make-mock-survey.ts)\n` + table(m));
  writeAtomic(join(OUT, `pk_${s.name}_noisy.dat`), `# mock ${s.name}: the noiseless vector plus one Gaussian realisation of its covariance (seed ${SEED})\n` + table(noisy));
  const rows: string[] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(cov.subarray(i * n, (i + 1) * n), (x) => (x === 0 ? '0' : x.toExponential(8))).join(' '));
  writeAtomic(join(OUT, `cov_${s.name}.dat`), rows.join('\n') + '\n');
}
const configFor = (kind: 'noiseless' | 'noisy') => ({
  name: `mock_${kind}`,
  description: `The project's mock survey (${kind}); truth in truth.json; regenerate with scripts/make-mock-survey.ts`,
  theory,
  samples: SAMPLES.map((s) => ({ name: s.name, z: s.z, nbarInv: s.nbarInv, kmin: 0.01, kmax: 0.2, ells: [0, 2, 4], pk: `pk_${s.name}_${kind}.dat`, cov: `cov_${s.name}.dat` })),
  cosmology: cosmologyPriors,
  nuisance,
  marginalised,
  sampler: { chains: 4, warmup: 500, samples: 1000, metric: 'dense', root: `mock_${kind}` },
});
writeAtomic(join(OUT, 'mock-noiseless.json'), JSON.stringify(configFor('noiseless'), null, 1) + '\n');
writeAtomic(join(OUT, 'mock-noisy.json'), JSON.stringify(configFor('noisy'), null, 1) + '\n');
writeAtomic(join(OUT, 'truth.json'), JSON.stringify({ cosmology: COSMOLOGY, samples: SAMPLES, linear: 'prior means', seed: SEED, bins: { first: 0.01, width: WIDTH, count: NBINS } }, null, 1) + '\n');
console.log(`wrote ${OUT}`);
