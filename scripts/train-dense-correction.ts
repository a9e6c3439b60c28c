/**
 * The emulator's off-node correction (the "denseCorrection" block of data/linear-emulator.json).
 *
 *   npx tsx scripts/train-dense-correction.ts --data /work/shared/linear --dense DIR
 *       [--weights data/linear-emulator.json] [--ncomp 20] [--degree 6] [--validate 0.15]
 *
 * The emulator fits the residual r = ln P_cb - ln P_base on the 160 training k and splines it in
 * ln k in between. There the residual's baryon wiggles (EH98's BAO differ from CLASS's by ~2%)
 * are sampled 3-4 times per period near k = 0.2 1/Mpc, and the spline misses them by up to
 * 2.5e-3. The miss c(k) = r(k) - spline(r at the nodes)(k) does not depend on z (the wiggles are
 * in the transfer function; 3e-6 between z = 0 and 3, scripts/emulator-data/generate.py), nor on
 * A_s and n_s (they are exact in the baseline; a power law in k is a straight line in ln k, which
 * the spline reproduces). So c is learnt at z = 0 from CLASS on a dense k band (DIR: train.dense.*
 * from scripts/emulator-data/generate.py and merge.py) as a function of (omega_b, omega_cdm, h,
 * m_ncdm): PCA over the band, components as polynomials (total degree --degree, Legendre basis).
 * The band runs between two training nodes, where c vanishes, so the correction is continuous.
 * The same c applies to P_m (ln(P_m/P_cb) is smooth: the difference is reported).
 */
import { readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hostOps } from '../src/cosmology/ops';
import { logBaselineNoPrimordial, logPrimordial } from '../src/cosmology/baseline';
import { basisHost, normalise } from '../src/cosmology/polynomial';
import { COSMO_PARAM_RANGE } from '../src/cosmology/params';
import { splineInterpolate } from '../src/numerics/spline';
import { leastSquares, pca, predict, project } from './lib/emulator-fit';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    dense: { type: 'string' },
    weights: { type: 'string', default: 'data/linear-emulator.json' },
    ncomp: { type: 'string', default: '20' },
    degree: { type: 'string', default: '6' },
    validate: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  },
});
if (!values.data || !values.dense) {
  console.error('usage: npx tsx scripts/train-dense-correction.ts --data SHARED_LINEAR --dense DENSE_DIR [--weights FILE] [--ncomp 20] [--degree 6] [--validate 0.15]');
  process.exit(2);
}
const NC = Number(values.ncomp);
const DEG = Number(values.degree);
const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);

interface SetData {
  params: Record<string, number>[];
  lnCbNodes: Float64Array[];
  lnMNodes: Float64Array[];
  lnCbDense: Float64Array[];
  lnMDense: Float64Array[];
}

function readSet(name: string): { kNodes: Float64Array; kDense: Float64Array; set: SetData } | undefined {
  const denseMeta = join(resolve(values.dense!), `${name}.dense.json`);
  if (!existsSync(denseMeta)) return undefined;
  const meta = JSON.parse(readFileSync(join(resolve(values.data!), `${name}.json`), 'utf8')) as { k_Mpc: number[]; z: number[]; records: { params: Record<string, number> }[]; arrays: { shape: number[] } };
  const dm = JSON.parse(readFileSync(denseMeta, 'utf8')) as { k_Mpc: number[]; records: number[]; arrays: { ln_pk_cb: string; ln_pk_m: string } };
  const f32 = (file: string) => new Float32Array(readFileSync(join(resolve(values.data!), file)).buffer.slice(0));
  const f64 = (file: string) => { const b = readFileSync(join(resolve(values.dense!), file)); return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); };
  const [, nz, nk] = meta.arrays.shape;
  const iz0 = meta.z.indexOf(0);
  const cb = f32(`${name}.pk_cb.f32`);
  const m = f32(`${name}.pk_m.f32`);
  const dcb = f64(dm.arrays.ln_pk_cb);
  const dmm = f64(dm.arrays.ln_pk_m);
  const nd = dm.k_Mpc.length;
  const set: SetData = { params: [], lnCbNodes: [], lnMNodes: [], lnCbDense: [], lnMDense: [] };
  dm.records.forEach((i, r) => {
    set.params.push(meta.records[i].params);
    const off = (i * nz + iz0) * nk;
    set.lnCbNodes.push(Float64Array.from(cb.subarray(off, off + nk), Math.log));
    set.lnMNodes.push(Float64Array.from(m.subarray(off, off + nk), Math.log));
    set.lnCbDense.push(dcb.slice(r * nd, (r + 1) * nd));
    set.lnMDense.push(dmm.slice(r * nd, (r + 1) * nd));
  });
  return { kNodes: Float64Array.from(meta.k_Mpc), kDense: Float64Array.from(dm.k_Mpc), set };
}

const train = readSet('train');
if (!train) throw new Error(`no train.dense.json in ${values.dense}`);
const kNodes = train.kNodes;
// the band: dense points strictly inside [first node >= first dense k, last node <= last dense k]
const nodeLo = kNodes.find((k) => k >= train.kDense[0])!;
const nodeHi = [...kNodes].reverse().find((k) => k <= train.kDense[train.kDense.length - 1])!;
const bandIdx = Array.from(train.kDense.keys()).filter((j) => train.kDense[j] > nodeLo * (1 + 1e-9) && train.kDense[j] < nodeHi * (1 - 1e-9));
const kBand = Float64Array.from(bandIdx, (j) => train.kDense[j]);
log(`band ${nodeLo.toExponential(4)} .. ${nodeHi.toExponential(4)} 1/Mpc: ${kBand.length} points, ${train.set.params.length} training cosmologies`);
const lnNodes = Array.from(kNodes, Math.log);
const lnBand = Array.from(kBand, Math.log);
const inputs = (p: Record<string, number>) =>
  [p.omega_b, p.omega_cdm, p.h, p.m_ncdm].map((v, j) => normalise(v, COSMO_PARAM_RANGE[(['omega_b', 'omega_cdm', 'h', 'm_ncdm'] as const)[j]][0], COSMO_PARAM_RANGE[(['omega_b', 'omega_cdm', 'h', 'm_ncdm'] as const)[j]][1]));

/** c(k_band) = r(k) - spline(r at the nodes)(k) for ln P (P_cb or P_m) of one cosmology at z = 0. */
function miss(p: Record<string, number>, lnNodesP: Float64Array, lnDenseP: Float64Array): Float64Array {
  const bp = { omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm };
  const base = (k: number) => logBaselineNoPrimordial(hostOps, k, bp, 0) + logPrimordial(hostOps, k, p['ln10^{10}A_s'], p.n_s);
  const rNodes = Array.from(kNodes, (k, j) => lnNodesP[j] - base(k));
  const s = splineInterpolate(lnNodes, rNodes, lnBand);
  return Float64Array.from(bandIdx, (j, b) => lnDenseP[j] - base(kBand[b]) - s[b]);
}

let seed = Number(values.seed);
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const isVal = train.set.params.map(() => Number(values.validate) > 0 && rand() < Number(values.validate));
const cCb = train.set.params.map((p, i) => miss(p, train.set.lnCbNodes[i], train.set.lnCbDense[i]));
let cbVsM = 0;
train.set.params.forEach((p, i) => {
  const cm = miss(p, train.set.lnMNodes[i], train.set.lnMDense[i]);
  for (let b = 0; b < kBand.length; b++) cbVsM = Math.max(cbVsM, Math.abs(cm[b] - cCb[i][b]));
});
let cMax = 0;
for (const c of cCb) for (const v of c) cMax = Math.max(cMax, Math.abs(v));
log(`the spline's miss: worst ${cMax.toExponential(2)} in ln P; P_m's miss differs from P_cb's by at most ${cbVsM.toExponential(2)}`);
const fitIdx = cCb.map((_, i) => i).filter((i) => !isVal[i]);
const P = pca(fitIdx.map((i) => cCb[i]), NC);
log(`PCA: ${NC} components, unexplained variance ${P.unexplained.toExponential(2)}`);
const fit = leastSquares(fitIdx.map((i) => inputs(train.set.params[i])), fitIdx.map((i) => project(P, cCb[i])), DEG, 4);
log(`fit: ${fit.nb} basis functions x ${NC}`);
const predictC = (p: Record<string, number>) => {
  const a = predict(fit, inputs(p), DEG);
  const c = Float64Array.from(P.mean);
  for (let k = 0; k < NC; k++) for (let b = 0; b < kBand.length; b++) c[b] += a[k] * P.comps[k * kBand.length + b];
  return c;
};
/** worst |ln P error| over the band with and without the correction */
function report(label: string, params: Record<string, number>[], cs: Float64Array[]) {
  let before = 0;
  let after = 0;
  let rms = 0;
  let n = 0;
  params.forEach((p, i) => {
    const c = predictC(p);
    for (let b = 0; b < kBand.length; b++) {
      before = Math.max(before, Math.abs(cs[i][b]));
      const e = cs[i][b] - c[b];
      after = Math.max(after, Math.abs(e));
      rms += e * e;
      n++;
    }
  });
  log(`${label} (${params.length} cosmologies): off-node error in ln P, worst ${before.toExponential(2)} -> ${after.toExponential(2)} with the correction (rms ${Math.sqrt(rms / n).toExponential(2)})`);
}
report('training', fitIdx.map((i) => train.set.params[i]), fitIdx.map((i) => cCb[i]));
const valIdx = cCb.map((_, i) => i).filter((i) => isVal[i]);
if (valIdx.length) report('validation', valIdx.map((i) => train.set.params[i]), valIdx.map((i) => cCb[i]));
const test = readSet('test');
if (test) report('test set', test.set.params, test.set.params.map((p, i) => miss(p, test.set.lnCbNodes[i], test.set.lnCbDense[i])));

if (!isVal.some(Boolean)) {
  const b64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  const path = resolve(values.weights!);
  const w = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  w.denseCorrection = {
    description: 'scripts/train-dense-correction.ts: the residual spline\'s miss between the training k, c(k; omega_b, omega_cdm, h, m_ncdm), on the band between two training nodes',
    kMpc: b64(kBand),
    nodeLo,
    nodeHi,
    degree: DEG,
    ncomp: NC,
    mean: b64(P.mean),
    components: b64(P.comps),
    weights: b64(fit.W),
    trainedOn: train.set.params.length,
  };
  writeFileSync(path + '.tmp', JSON.stringify(w));
  renameSync(path + '.tmp', path);
  log(`wrote the correction into ${path}`);
}
void basisHost;
