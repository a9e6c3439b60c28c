/**
 * Trains the linear-P(k) and growth emulator shipped in data/linear-emulator.json.
 *
 *   npm run train:emulator -- --data /work/shared/linear [--out data/linear-emulator.json]
 *                             [--degree 8] [--ncb 30] [--nratio 20] [--seed 1] [--validate 0.15]
 *
 * Reads the CLASS training set (`train.json`, `train.pk_cb.f32`, `train.pk_m.f32`; layout in
 * the data's README) and fits, for every (cosmology, z) row with inputs
 * x = (omega_b, omega_cdm, h, m_ncdm, a = 1/(1+z)) normalised to [-1, 1]:
 *   - r_cb(k) = log P_cb - log P_base (src/cosmology/baseline.ts: exact A_s, n_s, EH98, CPT
 *     growth) on the 160 training k, compressed by PCA (eigenvectors of the float64 covariance),
 *   - r_m(k) = log(P_m / P_cb), the same way,
 *   - log f - log f_base and log D - log D_base,
 * as linear least-squares fits on a total-degree Legendre basis (src/cosmology/polynomial.ts),
 * and r_s,drag (per cosmology, inputs without z) as log r_s - log s_EH98. The fit is closed
 * form (normal equations, Cholesky, float64): deterministic, so `--seed` only picks the
 * validation split. `--validate F` holds back a random fraction F of the training cosmologies
 * and reports the error on them (for choosing degree and component counts; the test set is
 * never read here). `--leave-z Z` also leaves the rows at redshift Z out of the fit and reports
 * the validation error there (interpolation between training redshifts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hostOps } from '../src/cosmology/ops';
import { logBaselineNoPrimordial, logGrowthBaselines, logPrimordial } from '../src/cosmology/baseline';
import { ehScales } from '../src/cosmology/eisenstein-hu';
import { normalise } from '../src/cosmology/polynomial';
import { COSMO_PARAM_RANGE, Z_RANGE } from '../src/cosmology/params';
import { leastSquares, pca, predict, project } from './lib/emulator-fit';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: 'data/linear-emulator.json' },
    degree: { type: 'string', default: '8' },
    'rs-degree': { type: 'string', default: '6' },
    ncb: { type: 'string', default: '30' },
    nratio: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    validate: { type: 'string', default: '0' },
    ridge: { type: 'string', default: '1e-8' },
    'leave-z': { type: 'string' },
  },
});
if (!values.data) {
  console.error('usage: npm run train:emulator -- --data DIR [--out FILE] [--degree 8] [--ncb 30] [--nratio 20] [--seed 1] [--validate 0.15]');
  process.exit(2);
}
const DEG = Number(values.degree);
const RS_DEG = Number(values['rs-degree']);
const NCB = Number(values.ncb);
const NR = Number(values.nratio);
const RIDGE = Number(values.ridge);
const VALIDATE = Number(values.validate);
// --leave-z Z (with --validate): fit without the rows at redshift Z, report the validation
// cosmologies at Z only (how well the fit interpolates between training redshifts)
const LEAVE_Z = values['leave-z'] === undefined ? undefined : Number(values['leave-z']);
const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${s}`);

interface Rec {
  params: Record<string, number>;
  rs_drag_Mpc: number;
  f: number[];
  D: number[];
}
const dir = resolve(values.data);
const meta = JSON.parse(readFileSync(join(dir, 'train.json'), 'utf8')) as { k_Mpc: number[]; z: number[]; records: Rec[] };
const k = Float64Array.from(meta.k_Mpc);
const zs = meta.z;
const nk = k.length;
const nz = zs.length;
const readF32 = (name: string) => {
  const buf = readFileSync(join(dir, name));
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
};
const pcbAll = readF32('train.pk_cb.f32');
const pmAll = readF32('train.pk_m.f32');

// deterministic split (mulberry32 on --seed) when validating
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const nAll = meta.records.length;
const rand = rng(Number(values.seed));
const isVal = meta.records.map(() => VALIDATE > 0 && rand() < VALIDATE);
const trainIdx = meta.records.map((_, i) => i).filter((i) => !isVal[i]);
const valIdx = meta.records.map((_, i) => i).filter((i) => isVal[i]);
log(`${nAll} cosmologies x ${nz} z x ${nk} k; fitting on ${trainIdx.length}, validating on ${valIdx.length}`);

// the redshift enters as the scale factor a = 1/(1+z) (growth is a smooth function of a; in z
// the fit interpolated poorly across the wide high-z gaps, see the journal)
const A_RANGE: [number, number] = [1 / (1 + Z_RANGE[1]), 1 / (1 + Z_RANGE[0])];
const INPUT_RANGES: [number, number][] = [COSMO_PARAM_RANGE.omega_b, COSMO_PARAM_RANGE.omega_cdm, COSMO_PARAM_RANGE.h, COSMO_PARAM_RANGE.m_ncdm, A_RANGE];
const inputsOf = (p: Record<string, number>, z: number) => [p.omega_b, p.omega_cdm, p.h, p.m_ncdm, 1 / (1 + z)].map((v, j) => normalise(v, INPUT_RANGES[j][0], INPUT_RANGES[j][1]));

/** targets of one (cosmology, z) row */
function rowTargets(i: number, iz: number) {
  const r = meta.records[i];
  const p = r.params;
  const bp = { omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm };
  const z = zs[iz];
  const off = (i * nz + iz) * nk;
  const rcb = new Float64Array(nk);
  const rm = new Float64Array(nk);
  for (let j = 0; j < nk; j++) {
    const base = logBaselineNoPrimordial(hostOps, k[j], bp, z) + logPrimordial(hostOps, k[j], p['ln10^{10}A_s'], p.n_s);
    rcb[j] = Math.log(pcbAll[off + j]) - base;
    rm[j] = Math.log(pmAll[off + j] / pcbAll[off + j]);
  }
  const g = logGrowthBaselines(hostOps, bp, z);
  return { rcb, rm, f: Math.log(r.f[iz]) - g.logF, D: Math.log(r.D[iz]) - g.logD, x: inputsOf(p, z) };
}

// ---- rows
const zFit = zs.map((_, iz) => iz).filter((iz) => LEAVE_Z === undefined || zs[iz] !== LEAVE_Z);
const rowsOf = (idx: number[]) => idx.flatMap((i) => zFit.map((iz) => rowTargets(i, iz)));
const rows = rowsOf(trainIdx);
log(`targets: ${rows.length} rows`);

const pcaCb = pca(rows.map((r) => r.rcb), NCB);
const pcaR = pca(rows.map((r) => r.rm), NR);
log(`PCA: cb ${NCB} components (unexplained variance ${pcaCb.unexplained.toExponential(2)}), m/cb ${NR} (${pcaR.unexplained.toExponential(2)})`);

const targets = rows.map((r) => {
  const t = new Float64Array(NCB + NR + 2);
  t.set(project(pcaCb, r.rcb), 0);
  t.set(project(pcaR, r.rm), NCB);
  t[NCB + NR] = r.f;
  t[NCB + NR + 1] = r.D;
  return t;
});
const fit = leastSquares(rows.map((r) => r.x), targets, DEG, 5, RIDGE);
log(`fit: ${fit.nb} basis functions x ${fit.nt} outputs`);

// r_s,drag: per cosmology, inputs (omega_b, omega_cdm, h, m_ncdm)
const rsRows = trainIdx.map((i) => {
  const p = meta.records[i].params;
  const s = ehScales(hostOps, p.omega_b, p.omega_b + p.omega_cdm).s;
  return { x: inputsOf(p, 0).slice(0, 4), t: Float64Array.of(Math.log(meta.records[i].rs_drag_Mpc) - Math.log(s)) };
});
const rsFit = leastSquares(rsRows.map((r) => r.x), rsRows.map((r) => r.t), RS_DEG, 4, RIDGE);
log(`r_s fit: ${rsFit.nb} basis functions`);

// ---- errors (training rows; validation rows when asked)
function errors(idx: number[], label: string, zIdx: number[] = zs.map((_, iz) => iz)) {
  let worstCb = 0, worstM = 0, ssCb = 0, ssM = 0, n = 0, worstF = 0, worstD = 0, worstRs = 0;
  for (const i of idx) {
    for (const iz of zIdx) {
      const r = rowTargets(i, iz);
      const out = predict(fit, r.x, DEG);
      for (let j = 0; j < nk; j++) {
        if (k[j] < 1e-3 || k[j] > 1) continue;
        let ycb = pcaCb.mean[j];
        for (let c = 0; c < NCB; c++) ycb += out[c] * pcaCb.comps[c * nk + j];
        let yr = pcaR.mean[j];
        for (let c = 0; c < NR; c++) yr += out[NCB + c] * pcaR.comps[c * nk + j];
        const eCb = Math.expm1(ycb - r.rcb[j]);
        const eM = Math.expm1(ycb + yr - r.rcb[j] - r.rm[j]);
        worstCb = Math.max(worstCb, Math.abs(eCb));
        worstM = Math.max(worstM, Math.abs(eM));
        ssCb += eCb * eCb;
        ssM += eM * eM;
        n++;
      }
      worstF = Math.max(worstF, Math.abs(Math.expm1(out[NCB + NR] - r.f)));
      worstD = Math.max(worstD, Math.abs(Math.expm1(out[NCB + NR + 1] - r.D)));
    }
    const p = meta.records[i].params;
    const s = ehScales(hostOps, p.omega_b, p.omega_b + p.omega_cdm).s;
    const rs = s * Math.exp(predict(rsFit, inputsOf(p, 0).slice(0, 4), RS_DEG)[0]);
    worstRs = Math.max(worstRs, Math.abs(rs / meta.records[i].rs_drag_Mpc - 1));
  }
  log(`${label}: P_cb worst ${worstCb.toExponential(2)} rms ${Math.sqrt(ssCb / n).toExponential(2)}; P_m worst ${worstM.toExponential(2)} rms ${Math.sqrt(ssM / n).toExponential(2)}; f ${worstF.toExponential(2)}; D ${worstD.toExponential(2)}; r_s ${worstRs.toExponential(2)} (k in [1e-3, 1] 1/Mpc, relative)`);
  return { worstCb, rmsCb: Math.sqrt(ssCb / n), worstM, rmsM: Math.sqrt(ssM / n), worstF, worstD, worstRs };
}
const trainErr = errors(trainIdx.filter((_, i) => i % 4 === 0), 'training rows (every 4th cosmology)');
if (valIdx.length) errors(valIdx, 'validation cosmologies');
if (valIdx.length && LEAVE_Z !== undefined) errors(valIdx, `validation cosmologies at the left-out z = ${LEAVE_Z}`, zs.map((_, iz) => iz).filter((iz) => zs[iz] === LEAVE_Z));

// ---- write (float64 arrays as base64, little-endian)
const b64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const out = {
  format: 'clax-pt-ts linear emulator v1',
  trainedOn: { data: 'CLASS linear spectra, training set', cosmologies: trainIdx.length, redshifts: zs, command: `npm run train:emulator -- --data <dir> --degree ${DEG} --ncb ${NCB} --nratio ${NR} --rs-degree ${RS_DEG} --ridge ${RIDGE}` },
  trainingError: trainErr,
  inputs: ['omega_b', 'omega_cdm', 'h', 'm_ncdm', 'a = 1/(1+z)'],
  zVariable: 'a',
  inputRanges: INPUT_RANGES,
  kMpc: b64(k),
  degree: DEG,
  nBasis: fit.nb,
  nCb: NCB,
  nRatio: NR,
  outputs: ['pca_cb[nCb]', 'pca_ratio[nRatio]', 'log f residual', 'log D residual'],
  weights: b64(fit.W), // [nBasis, nCb + nRatio + 2]
  pcaCbMean: b64(pcaCb.mean),
  pcaCbComponents: b64(pcaCb.comps), // [nCb, nk]
  pcaRatioMean: b64(pcaR.mean),
  pcaRatioComponents: b64(pcaR.comps),
  rsDegree: RS_DEG,
  rsWeights: b64(rsFit.W), // [nBasisRs, 1]
};
if (VALIDATE > 0 || LEAVE_Z !== undefined) log('validation run: weights not written (drop --validate / --leave-z to write them)');
else {
  writeFileSync(values.out as string, JSON.stringify(out));
  log(`wrote ${values.out}`);
}
