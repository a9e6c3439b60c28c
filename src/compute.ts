/**
 * The compute step: a batch of linear spectra and scalars in, named component tensors out
 * (classy's `get_pk_mult` rows, in Mpc^3 at the requested k in 1/Mpc).
 *
 * Stages: host float64 linear stage (input interpolation, sigma_v^2, IR split; ./input,
 * ./ir) -> float32 tensor loops on the FFTLog grid (./loops) -> natural cubic spline in k onto
 * the output k (CLASS-PT's `SPLINE_SETUP(kdisc, ...)`, a fixed linear map per grid).
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from './readback';
import * as own from './private-ops';
import './gradients';
import type { Plan } from './plan';
import { ClaxPtInputError } from './errors';
import { validateComputeInputs } from './validate';
import { amplitudeOf, hostValue, runLinearStage, type CosmologyInput, type LinearStage, type LinearStageOptions } from './input/linear-stage';
import { linearStageTensors } from './input/linear-stage-op';
import { matterRealSpace } from './loops/matter-real';
import { biasOperatorsOnGrid } from './loops/bias-real';
import { outputSplineOperators } from './numerics/output-spline';
import { splineDerivativeOperator } from './numerics/spline';
import { fftlogGrid } from './fftlog/grid';
import { apGeometry, baoDamping, type BaoDamping } from './redshift/ap-projection';
import { analyticMatterMultipoles, matterMultipoleRows, muPowerLoops, projectMatterMultipoles } from './redshift/matter-multipoles';
import { NEGATED_ROWS, projectBiasMultipoles } from './redshift/bias-multipoles';
import { applyExtrapolations, extrapolatedRow, outsideComputedRange } from './redshift/extrapolations';
import { PURE_AP_ROWS, pureApRowsFloat64 } from './redshift/pure-ap-float64';
import { basisShape } from './fftlog/decomposition';
import { BIAS_FFTLOG_BIAS } from './kernels/bias';
import { transferSpectra, type TransferSpectra } from './input/transfer';
import { fnlLoopsOnGrid, FNL_TEMPLATES } from './loops/fnl-loops';
import { projectFnlBiasMultipoles, projectFnlMatterMultipoles } from './redshift/fnl-multipoles';
import { fnlRedshiftRowsFloat64 } from './redshift/fnl-float64';
import type { HostMomentSets } from './redshift/ap-moments';
import { installWasmKernels } from './wasm-kernels';
import { splitRows } from './numerics/rows';

export interface ComputeOptions extends LinearStageOptions {
  /**
   * Output wavenumbers in 1/Mpc: one array shared by the batch, or one array per cosmology
   * (all of the same length). Each must lie inside the FFTLog range [5e-5 h, 100 h].
   * Give either kOutMpc or kOutHMpc.
   */
  kOutMpc?: ArrayLike<number> | ArrayLike<number>[];
  /**
   * Output wavenumbers in h/Mpc (what surveys measure): the rows are evaluated at k h, with h
   * inside the graph when it is a tensor, so that d/dh includes the rescaling of k. Inside
   * [5e-5, 100] h/Mpc. Give either kOutMpc or kOutHMpc.
   */
  kOutHMpc?: ArrayLike<number> | ArrayLike<number>[];
  /** redshift-space multipoles (CLASS-PT "RSD"; default on): needs f per cosmology */
  redshiftSpace?: boolean;
  /** Alcock-Paczynski projection (CLASS-PT "AP"; default on): needs hratio and Dratio */
  alcockPaczynski?: boolean;
  /** bias-operator spectra (CLASS-PT "Bias tracers"; default on) */
  biasedTracers?: boolean;
  /**
   * primordial non-Gaussianity (CLASS-PT "PNG"; default off): the `fNL_*` and `fNLortho_*`
   * rows (equilateral and orthogonal templates), which need A_s per cosmology
   */
  primordialNonGaussianity?: boolean;
  /**
   * Which rows: 'all' (default) every Gaussian row 0-47; 'spectra' the rows classy's spectra
   * use, i.e. without the eight pure-AP rows (PURE_AP_ROWS: l = 2, 4 projections of isotropic
   * bias terms, computed in float64 on the host), which saves that host work.
   */
  components?: 'all' | 'spectra';
  /**
   * Optional stage hook (profiling): called once per stage with its name and a function that
   * runs it; it must call the function and return its result. On the synchronous backends
   * (wasm, cpu) the wall time of the call is the stage's time.
   */
  profile?: StageRecorder;
}

/** See ComputeOptions.profile. */
export type StageRecorder = <T>(name: string, run: () => T) => T;

/**
 * x [B, m, k] . y [B, k, n] as B two-dimensional matMuls (tfjs-backend-wasm runs 2D products
 * with XNNPACK but batched ones with a generic loop, ~5x slower here).
 */
function batchedMatMulBy2D(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor3D {
  const [B, m, k] = x.shape;
  const n = y.shape[2];
  return tf.stack(
    Array.from({ length: B }, (_, b) =>
      own.matMul(tf.reshape(own.slice(x, [b, 0, 0], [1, m, k]), [m, k]), tf.reshape(own.slice(y, [b, 0, 0], [1, k, n]), [k, n])),
    ),
  ) as tf.Tensor3D;
}

/** classy's factor of every fNL row (`get_pk_mult`): sqrt(A_s) 1944/625 pi^4. */
export const FNL_ROW_FACTOR = (1944 / 625) * Math.PI ** 4;

/** CLASS-PT's `Nside`: FFTLog nodes left out at each end of the AP projection. */
export function apSideNodes(ap: boolean): number {
  return ap ? 10 : 1;
}

function perCosmology(cosmologies: CosmologyInput[], key: 'f' | 'hratio' | 'Dratio' | 'A_s', fallback?: number): number[] {
  return cosmologies.map((c, b) => {
    const v = hostValue(key === 'A_s' ? amplitudeOf(c) : c[key]) ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || (key !== 'f' && v <= 0) || (key === 'f' && v < 0)) {
      const where = cosmologies.length > 1 ? `cosmologies[${b}].` : '';
      throw new ClaxPtInputError(`${where}${key}`, `must be a ${key === 'f' ? 'non-negative' : 'positive'} finite number, got ${String(v)}`);
    }
    return v;
  });
}

export interface ComponentsResult {
  /** the output k of each cosmology, 1/Mpc */
  kOutMpc: Float64Array[];
  /** component name -> [B, nOut] tensor in Mpc^3 (classy's sign conventions) */
  components: Record<string, tf.Tensor2D>;
  /** the host-side float64 linear stage (grid spectra, sigma_v^2, Sigma^2, delta Sigma^2) */
  linear: LinearStage;
  /** disposes every tensor of the result */
  dispose(): void;
}

function outputGrids(kOut: ArrayLike<number> | ArrayLike<number>[], batch: number): Float64Array[] {
  const isNested = Array.isArray(kOut) && kOut.length > 0 && typeof (kOut as unknown[])[0] !== 'number';
  const arrays = isNested ? (kOut as ArrayLike<number>[]) : Array.from({ length: batch }, () => kOut as ArrayLike<number>);
  if (arrays.length !== batch) {
    throw new ClaxPtInputError('kOutMpc', `got ${arrays.length} arrays for a batch of ${batch} cosmologies`);
  }
  const out = arrays.map((a) => Float64Array.from(a));
  const len = out[0].length;
  out.forEach((k, b) => {
    if (k.length !== len) throw new ClaxPtInputError(`kOutMpc[${b}]`, `length ${k.length} differs from kOutMpc[0] (${len})`);
    if (k.length === 0) throw new ClaxPtInputError('kOutMpc', 'empty');
    for (let i = 0; i < k.length; i++) {
      if (!Number.isFinite(k[i]) || k[i] <= 0) throw new ClaxPtInputError(`kOutMpc[${b}][${i}]`, `must be positive and finite, got ${k[i]}`);
    }
  });
  return out;
}

/**
 * Computes classy's `get_pk_mult` components (rows 0-47: real-space matter, bias operators,
 * redshift-space matter and bias multipoles) for a batch of cosmologies
 * (CLASS-PT `nonlinear_pt_loop`).
 */
export function computeComponents(plan: Plan, cosmologies: CosmologyInput[], options: ComputeOptions): ComponentsResult {
  if (!Array.isArray(cosmologies) || cosmologies.length === 0) {
    throw new ClaxPtInputError('cosmologies', 'expected a non-empty array');
  }
  validateComputeInputs(plan.n, cosmologies, options); // every check before any computation
  installWasmKernels(); // the faster wasm Slice, if the user activated wasm directly
  const stage: StageRecorder = options.profile ?? ((_name, run) => run());
  const B = cosmologies.length;
  const hHost = cosmologies.map((c) => hostValue(c.h) as number);
  const kOutHMpc = options.kOutHMpc !== undefined ? outputGrids(options.kOutHMpc, B) : undefined;
  // in h/Mpc: k h in 1/Mpc, kept inside the grid's ends against rounding (the spline operator
  // depends on k / k_min only, the same for every h: ./numerics/output-spline.ts)
  const kOutMpc = kOutHMpc
    ? kOutHMpc.map((k, b) => {
        const grid = fftlogGrid(plan.n, hHost[b]).kMpc;
        return k.map((v) => Math.min(Math.max(v * hHost[b], grid[0]), grid[grid.length - 1]));
      })
    : outputGrids(options.kOutMpc as ArrayLike<number> | ArrayLike<number>[], B);
  // h as a tensor: the grids' h dependence enters the graph (linear-stage-op gridScale)
  const hTensorIn = cosmologies.some((c) => c.h instanceof tf.Tensor);
  const rsd = options.redshiftSpace ?? true;
  const ap = options.alcockPaczynski ?? true;
  const withBias = options.biasedTracers ?? true;
  const hr = rsd && ap ? perCosmology(cosmologies, 'hratio') : cosmologies.map(() => 1);
  const dr = rsd && ap ? perCosmology(cosmologies, 'Dratio') : cosmologies.map(() => 1);
  // the float64 AP moment sums of the bias projection (every (l, phi) set in one pass, shared with
  // the pure-AP rows) need only h, hratio and Dratio: they run with the linear stage's host jobs
  const momentRequest = rsd && withBias ? { hratio: hr, dratio: dr, nSide: apSideNodes(ap) } : undefined;
  const linear = stage('host: linear stage (input spline, sigma_v^2, IR split) and AP moment sums', () =>
    runLinearStage(plan.n, cosmologies, options, momentRequest),
  );
  kOutMpc.forEach((k, b) => {
    const grid = linear.gridKMpc[b];
    const lo = grid[0];
    const hi = grid[grid.length - 1];
    for (let i = 0; i < k.length; i++) {
      if (k[i] < lo || k[i] > hi) {
        throw new ClaxPtInputError(
          `kOutMpc[${b}][${i}]`, `${k[i]} lies outside the FFTLog range [${lo}, ${hi}] 1/Mpc (5e-5 h to 100 h)`,
        );
      }
    }
  });

  const ir = options.irResummation ?? true;
  const png = options.primordialNonGaussianity ?? false;
  const amplitudes = png ? perCosmology(cosmologies, 'A_s') : [];
  // the AP-projected fNL rows come from the float64 host path; their float32 tensor twin is built
  // only where a gradient can reach them (some input given as a tensor)
  const fnlTensorTwin = cosmologies.some((c) =>
    [c.pkMpc3, c.f, c.hratio, c.Dratio, amplitudeOf(c), c.rsDragMpc, c.h].some((v) => v instanceof tf.Tensor),
  );
  const fs = rsd ? perCosmology(cosmologies, 'f') : [];
  // the matter loops take their values from float64 contractions (./loops/exact-loops); their float32
  // tensor twins run only where a gradient can reach them
  const hostLoops = { f: fs, differentiable: fnlTensorTwin };
  // kernel sets are built (and kept) outside the tidy below
  if (rsd) (ir ? plan.rsdIrOn() : plan.rsdIrOff());
  if (withBias) plan.bias();
  if (png) plan.fnl();
  // the float32 tensor twin of the AP moments is built only where a gradient can reach hratio or
  // Dratio (given as tensors)
  const apTensors = cosmologies.some((c) => c.hratio instanceof tf.Tensor || c.Dratio instanceof tf.Tensor);
  const momentHost = { gridKMpc: linear.gridKMpc, hratio: hr, dratio: dr };
  const moments: HostMomentSets | undefined = linear.apMoments;
  const pureAp = rsd && withBias && (options.components ?? 'all') === 'all';
  // CLASS-PT's Nside (AP on: 10, else 1): its redshift-space rows and bias monopoles are computed on
  // [kdisc[Nside], kdisc[N-1-Nside]] only, with fixed expressions outside (./redshift/extrapolations)
  const nSide = apSideNodes(rsd && ap);
  const outside = outsideComputedRange(linear.gridKMpc, kOutMpc, nSide);

  const components = tf.tidy(() => {
    const spline = stage('host+upload: output spline operator', () => outputSplineOperators(linear.gridKMpc, kOutMpc)); // [B, N, nOut]
    const scalarTensor = (key: 'f' | 'hratio' | 'Dratio' | 'rsDragMpc', host: number[]) =>
      tf.stack(cosmologies.map((c, b) => (c[key] instanceof tf.Tensor ? tf.reshape(c[key] as tf.Tensor, []) : tf.scalar(host[b])))) as tf.Tensor1D;
    const pk = cosmologies.map((c, b) => (c.pkMpc3 instanceof tf.Tensor ? (tf.reshape(c.pkMpc3, [-1]) as tf.Tensor1D) : tf.tensor1d(Float32Array.from(linear.inputs[b].pkMpc3))));
    const rs = ir ? scalarTensor('rsDragMpc', linear.rsDragMpc) : tf.zeros([B]) as tf.Tensor1D;
    const hT = hTensorIn
      ? (tf.stack(cosmologies.map((c, b) => (c.h instanceof tf.Tensor ? tf.reshape(c.h, []) : tf.scalar(hHost[b])))) as tf.Tensor1D)
      : undefined;
    linear.tensors = stage('upload: linear-stage tensors', () => linearStageTensors(linear, options, pk, rs, hT));
    const lt = linear.tensors;
    const onGrid: Record<string, tf.Tensor2D> = stage('tensor: real-space matter loops', () => matterRealSpace(plan, linear, hostLoops)); // name -> [B, N]
    const f = rsd ? scalarTensor('f', fs) : (tf.zeros([B]) as tf.Tensor1D);
    const biasGrid = withBias ? stage('tensor: bias operators on the grid (real + RSD kernels)', () => biasOperatorsOnGrid(plan, linear, rsd ? f : null)) : {};
    if (withBias) {
      for (const name of ['Id2', 'IG2', 'IFG2', 'Id2d2', 'Id2G2', 'IG2G2']) onGrid[name] = biasGrid[name];
    }
    let transfer: TransferSpectra | undefined;
    let fnlGrid: Record<string, tf.Tensor2D> = {};
    if (png) {
      transfer = transferSpectra(linear, options.noWiggle ?? false);
      fnlGrid = fnlLoopsOnGrid(plan.fnl(), linear, plan.uvDamping, transfer, f, {
        redshiftSpace: rsd, irResummation: ir, biasedTracers: withBias, projectedRows: fnlTensorTwin,
      });
      for (const { prefix } of FNL_TEMPLATES) {
        onGrid[`${prefix}_loop`] = fnlGrid[`${prefix}_loop`];
        if (withBias) {
          onGrid[`${prefix}_d2`] = fnlGrid[`${prefix}_d2`];
          onGrid[`${prefix}_G2`] = fnlGrid[`${prefix}_G2`];
        }
      }
    }
    if (rsd) {
      const geo = stage('AP geometry (host brackets + tensor weights)', () => apGeometry({
        gridKMpc: linear.gridKMpc,
        hratio: ap ? scalarTensor('hratio', hr) : tf.ones([B]),
        dratio: ap ? scalarTensor('Dratio', dr) : tf.ones([B]),
        nSide: apSideNodes(ap),
        gridScale: lt.gridScale,
      }));
      // y'' on each cosmology's nodes h * (k/h): the plan's operator on k/h, divided by h^2
      const invH2 = tf.tensor3d(Float32Array.from(linear.h, (h) => 1 / (h * h)), [B, 1, 1]);
      const d2 = (y: tf.Tensor3D) => {
        const [b, c, n] = y.shape;
        const flat = own.matMul(tf.reshape(y, [b * c, n]), plan.splineSecondDerivativeT);
        return own.mul(tf.reshape(flat, [b, c, n]), invH2) as tf.Tensor3D;
      };
      // the anisotropic BAO damping at (k_t, mu_t), built once for the projections that use it
      let baoOnce: BaoDamping | undefined;
      const bao = () => (baoOnce ??= stage('tensor: anisotropic BAO damping at (k_t, mu_t)', () => baoDamping(geo, f, lt.sigma2Bao, lt.deltaSigma2Bao)));
      let matter: Record<string, tf.Tensor2D>;
      if (ir) {
        const loops = stage('tensor: mu-power loops (nw quadratic + nw x w bilinear)', () => muPowerLoops(plan, linear, f, hostLoops));
        // values from the float64 host projection; the float32 tensor projection only where a gradient can reach it
        matter = stage('host: AP projection of matter in float64 (Gauss-Legendre, 20 folded nodes)', () => matterMultipoleRows(
          loops, linear, { f: fs, hratio: hr, dratio: dr, nSide: apSideNodes(ap) },
          hostLoops.differentiable ? () => projectMatterMultipoles(geo, loops, d2, f, bao()) : undefined,
        ));
      } else {
        matter = stage('tensor: analytic matter multipoles (IR off)', () => analyticMatterMultipoles(plan, linear, f, hostLoops));
      }
      Object.assign(onGrid, matter);
      if (withBias) {
        const arrays: Record<string, tf.Tensor2D> = {
          Pnw: lt.pNoWiggle,
          Pw: lt.pWiggle,
          Pbin: lt.pBin,
        };
        for (const [name, v] of Object.entries(biasGrid)) if (!['Id2', 'IG2'].includes(name)) arrays[name] = v;
        Object.assign(onGrid, stage('tensor: AP projection of bias terms (moment form + IFG2 pointwise)', () => projectBiasMultipoles(geo, momentHost, arrays, d2, f, bao().damp, { host: moments!, differentiable: apTensors })));
      }
      if (transfer) {
        const damp = () => bao().damp;
        if (ir) {
          if (fnlTensorTwin) Object.assign(onGrid, projectFnlMatterMultipoles(geo, fnlGrid, transfer, d2, damp()));
        } else {
          // IR off: analytic multipoles without AP (as the Gaussian ones); CLASS-PT has no 4_dd
          // matrix and `nonlinear_pt_loop` leaves that row unwritten: its l = 4 dd part is 0 here
          for (const { prefix } of FNL_TEMPLATES) {
            for (const row of ['0_vv', '0_vd', '0_dd', '2_vv', '2_vd', '2_dd', '4_vv', '4_vd']) {
              onGrid[`${prefix}_${row}`] = fnlGrid[`${prefix}_${row}`];
            }
            onGrid[`${prefix}_4_dd`] = tf.zerosLike(fnlGrid[`${prefix}_0_dd`]);
          }
        }
        if (withBias && fnlTensorTwin) Object.assign(onGrid, projectFnlBiasMultipoles(geo, fnlGrid, transfer, d2, f, damp()));
      }
    }
    if (!pureAp) for (const name of PURE_AP_ROWS) delete onGrid[name];
    return stage('tensor: signs + output spline matMul + rows', () => {
    const names = Object.keys(onGrid);
    // classy's signs as one mul of the stack [B, C, N]
    const signs = tf.tensor3d(Float32Array.from(names, (n) => (NEGATED_ROWS.has(n) ? -1 : 1)), [1, names.length, 1]);
    const stacked = own.mul(tf.stack(names.map((n) => onGrid[n]), 1), signs) as tf.Tensor3D;
    // [B, C, nOut]; many cosmologies: one 2D matMul each (XNNPACK; the batched one is a slow loop)
    let atOut = B >= 8 ? batchedMatMulBy2D(stacked, spline) : own.matMul(stacked, spline);
    if (lt.gridScale && !kOutHMpc) {
      // k fixed in 1/Mpc while the nodes move as h: the spline through (h q_j, y_j) at k is
      // S_1(k/h), so d/dh adds -S'(k) k / h. Injected as X (h/h_host - 1), whose value is 0 and
      // whose h-derivative is X / h_host, with X = -S'(k) k (the spline's exact derivative).
      const derivative = tf.tensor3d(
        Float32Array.from(linear.gridKMpc.flatMap((grid, b) => {
          const w = splineDerivativeOperator(grid, kOutMpc[b]); // [nOut, N]
          const nOut = kOutMpc[b].length;
          const out = new Float32Array(grid.length * nOut);
          for (let i = 0; i < nOut; i++) for (let j = 0; j < grid.length; j++) out[j * nOut + i] = -w[i * grid.length + j] * kOutMpc[b][i];
          return Array.from(out);
        })),
        [B, plan.n, kOutMpc[0].length],
      );
      const x = own.matMul(stacked, derivative);
      atOut = tf.add(atOut, own.mul(x, tf.reshape(tf.sub(lt.gridScale, 1), [B, 1, 1])));
    }
    const rows = splitRows(B === 1 ? tf.reshape(atOut, [names.length, 1, -1]) : tf.transpose(atOut, [1, 0, 2]));
    const out: Record<string, tf.Tensor2D> = Object.fromEntries(names.map((name, c) => [name, rows[c]]));
    // CLASS-PT multiplies the 4_dd row and the 18 fNL matter multipoles by exp(-(k/3)^4) at
    // output (k in 1/Mpc, no h; nonlinear_pt.c 4660, 4680)
    const outputCut = () => {
      const cut = tf.tensor2d(Float32Array.from(kOutMpc.flatMap((k) => Array.from(k, (v) => Math.exp(-Math.pow(v / 3, 4))))), [B, kOutMpc[0].length]);
      if (!(kOutHMpc && lt.gridScale)) return cut;
      // k = k_h h moves with h: d/dh exp(-(k/3)^4) = -4 (k/3)^4 / h exp(-(k/3)^4), as (h/h_host)^... factor
      const x4 = tf.tensor2d(Float32Array.from(kOutMpc.flatMap((k) => Array.from(k, (v) => Math.pow(v / 3, 4)))), [B, kOutMpc[0].length]);
      const s4 = tf.pow(tf.reshape(lt.gridScale, [B, 1]), 4);
      return own.mul(cut, tf.exp(tf.neg(own.mul(x4, tf.sub(s4, 1)))));
    };
    if (out.loop_4_dd) out.loop_4_dd = own.mul(out.loop_4_dd, outputCut()) as tf.Tensor2D;
    let factor: tf.Tensor | undefined;
    if (png) {
      const cut = outputCut();
      const amplitude = cosmologies.map((c, b) => { const a = amplitudeOf(c); return a instanceof tf.Tensor ? tf.reshape(a, []) : tf.scalar(amplitudes[b]); });
      factor = tf.reshape(own.mul(tf.sqrt(tf.stack(amplitude)), FNL_ROW_FACTOR), [B, 1]);
      for (const name of names) {
        if (!name.startsWith('fNL')) continue;
        let v = own.mul(out[name], factor);
        if (/^fNL(ortho)?_[024]_(vv|vd|dd)$/.test(name)) v = own.mul(v, cut);
        out[name] = v as tf.Tensor2D;
      }
    }
    // CLASS-PT's fixed expressions outside [kdisc[Nside], kdisc[N-1-Nside]] (./redshift/extrapolations)
    applyExtrapolations(out, {
      gridKMpc: linear.gridKMpc, kOutMpc, nSide, inputs: linear.inputs, pk, f, sigmaV2: lt.sigmaV2,
      loop4ddGrid: onGrid.loop_4_dd, fnlFactor: factor,
    });
    return out;
    });
  });

  delete linear.tensors; // disposed with the tidy above

  // Rows whose values come from a float64 host path (the float32 tensor path supplies their
  // gradient): value = tensor + (exact - tensor), the difference a constant.
  const useExactValues = (exact: Record<string, Float64Array>[], names: string[]) => {
    const nOut = kOutMpc[0].length;
    for (const name of names) {
      const t = components[name];
      const v = readSync(t, `float64 row ${name}`);
      const corr = new Float32Array(v.length);
      const keep = extrapolatedRow(name); // CLASS-PT's extrapolation there (already in t)
      exact.forEach((rows, b) => {
        for (let i = 0; i < nOut; i++) if (!(keep && outside[b][i])) corr[b * nOut + i] = rows[name][i] - v[b * nOut + i];
      });
      components[name] = tf.tidy(() => tf.add(t, tf.tensor2d(corr, t.shape)) as tf.Tensor2D);
      t.dispose();
    }
  };
  if (pureAp) stage('host: pure-AP rows in float64 (+ corrections)', () => {
    const shape = basisShape(plan.n, BIAS_FFTLOG_BIAS);
    const kernels = plan.biasHost();
    const host = { gridKMpc: linear.gridKMpc, hratio: hr, dratio: dr };
    const exact = linear.gridKMpc.map((k, b) =>
      pureApRowsFloat64(shape, kernels, k, linear.pBin[b], fs[b], { ...host, b }, apSideNodes(ap), kOutMpc[b], moments),
    );
    useExactValues(exact, PURE_AP_ROWS);
  });
  if (png && rsd && (ir || withBias)) stage('host: fNL redshift-space rows in float64 (+ corrections)', () => {
    const kernels = plan.fnlHost();
    const exact = linear.gridKMpc.map((k, b) =>
      fnlRedshiftRowsFloat64(kernels, {
        k,
        pNoWiggle: linear.pNoWiggle[b],
        pWiggleRaw: linear.pWiggleRaw[b],
        sigma2: linear.sigma2Bao[b],
        deltaSigma2: linear.deltaSigma2Bao[b],
        nS: linear.inputs[b].nS,
        f: fs[b],
        hratio: hr[b],
        dratio: dr[b],
        nSide: apSideNodes(ap),
        irResummation: ir,
        biasedTracers: withBias,
        uvDamping: plan.uvDamping,
        kOut: kOutMpc[b],
        rowFactor: Math.sqrt(amplitudes[b]) * FNL_ROW_FACTOR,
      }),
    );
    const names = Object.keys(exact[0]);
    if (fnlTensorTwin) useExactValues(exact, names);
    else {
      const nOut = kOutMpc[0].length;
      for (const name of names) {
        const v = new Float32Array(B * nOut);
        exact.forEach((rows, b) => {
          v.set(rows[name], b * nOut);
          // CLASS-PT's extrapolation outside its range: epsilon_for_logs_fNL times classy's factor
          outside[b].forEach((o, i) => { if (o) v[b * nOut + i] = 1e-6 * Math.sqrt(amplitudes[b]) * FNL_ROW_FACTOR; });
        });
        components[name] = tf.tensor2d(v, [B, nOut]);
      }
    }
  });

  return {
    kOutMpc,
    components,
    linear,
    dispose() {
      tf.dispose(Object.values(components));
    },
  };
}
