/**
 * Cosmology in, spectra out: cosmological parameters, z and nuisance parameters -> the linear
 * spectrum (emulator), f and r_s,drag (emulator), H, D_A and CLASS-PT's AP ratios (background)
 * -> computeComponents (the one-loop engine) -> classy's assembled spectra. Every link is a
 * tfjs tensor expression, so gradients flow from the spectra to the six cosmological parameters
 * and the nuisance parameters (pass them as scalar tensors and differentiate, e.g. tf.grads).
 *
 * What feeds the loops: P_cb by default (CLASS-PT's "cb": Yes, the oracle's usual setting; the
 * option `linearSpectrum: 'm'` takes P_m), given to the engine on the emulator's 160 training k
 * (1e-4 .. 20 1/Mpc); the engine extrapolates below with n_s and above with the last log slope,
 * as it does for any tabulated input. Output k are in 1/Mpc (`kOutMpc`, classy's convention for
 * the k passed to pk_gg_l0 & co.) or in h/Mpc (`kOutHMpc`, what surveys measure: the rows are
 * evaluated at k h). On the differentiable path h is a tensor everywhere, the engine's
 * h-dependent grids included (FFTLog nodes 5e-5 h .. 100 h, Sigma^2 range 0.2 h), so d/dh is the
 * exact derivative of what is computed, with the rescaling of k in h/Mpc mode.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import * as own from '../private-ops';
import '../gradients';
import { getPlan } from '../plan';
import { computeComponents } from '../compute';
import { assembleAll, BIAS_NAMES, type Bias, type SpectrumName } from '../assembly/spectra';
import type { CosmologyInput } from '../input/linear-stage';
import { ClaxPtInputError } from '../errors';
import { getEmulator } from './emulator';
import { linearHost, linearJacobianOp, linearTensors } from './linear-inputs';
import { validateCosmoParams, validateRedshifts, Z_RANGE, type CosmoParams } from './params';
import { classptTimeBracket, type ClassptTimeBracket } from './classpt-time-interpolation';

export interface CosmologyCase {
  /** omega_b, omega_cdm, h, ln10^{10}A_s, n_s, m_ncdm: numbers or scalar tensors */
  params: CosmoParams;
  /** redshift in [0, 3]: a number, or a scalar tensor to differentiate with respect to it */
  z: number | tf.Tensor;
  /** nuisance parameters (classy's names): numbers or scalar tensors */
  bias?: Bias;
}

export interface EndToEndOptions {
  /** output wavenumbers in 1/Mpc (shared by the batch), inside [5e-5 h, 100 h]; or kOutHMpc */
  kOutMpc?: ArrayLike<number>;
  /** output wavenumbers in h/Mpc (shared by the batch), inside [5e-5, 100]; or kOutMpc */
  kOutHMpc?: ArrayLike<number>;
  /**
   * 'all' (default) every Gaussian row 0-47, 'spectra' the 40 rows classy's spectra use
   * (computeComponents' option of the same name)
   */
  components?: 'all' | 'spectra';
  /** FFTLog size (128, 256, 512; default 256) */
  n?: number;
  /** fiducial Omega_m of the AP projection (CLASS-PT `Omfid`, default 0.31) */
  omfid?: number;
  /** CLASS-PT settings (defaults: all on) */
  alcockPaczynski?: boolean;
  irResummation?: boolean;
  redshiftSpace?: boolean;
  biasedTracers?: boolean;
  /** which linear spectrum feeds the loops: 'cb' (default, CLASS-PT "cb": Yes) or 'm' */
  linearSpectrum?: 'cb' | 'm';
  /** which spectra to assemble (default: all those the nuisance parameters allow) */
  only?: readonly SpectrumName[];
  /**
   * Feed the loops CLASS-PT's P_L(k, z) rather than CLASS's: CLASS-PT interpolates ln P in ln tau
   * between CLASS's source time samples with d^2 ln P/d(ln k)^2 in place of the time derivatives
   * (./classpt-time-interpolation.ts); z_max_pk is the largest z of CLASS's `z_pk` list in the run
   * being reproduced (it sets the samples). Off by default (P is CLASS's at z).
   */
  classptTimeInterpolation?: { zMaxPk: number };
}

/** [B] tensors at each case's z. */
export interface EndToEndDerived {
  /** growth rate f */
  f: tf.Tensor1D;
  /** CLASS-PT's AP ratios H/H_fid and D_A/D_A,fid */
  hratio: tf.Tensor1D;
  Dratio: tf.Tensor1D;
  /** sound horizon at baryon drag, Mpc */
  rsDragMpc: tf.Tensor1D;
  /** Hubble rate H(z), km/s/Mpc */
  HKmsMpc: tf.Tensor1D;
  /** angular diameter distance D_A(z), Mpc */
  DAMpc: tf.Tensor1D;
  /** @deprecated the old name of HKmsMpc (for one release) */
  readonly H: tf.Tensor1D;
  /** @deprecated the old name of DAMpc (for one release) */
  readonly DA: tf.Tensor1D;
}

/** The derived block with its deprecated aliases as non-enumerable getters (JSON shows the new names only). */
function withDeprecatedNames(d: Omit<EndToEndDerived, 'H' | 'DA'>): EndToEndDerived {
  return Object.defineProperties(d, {
    H: { get: () => d.HKmsMpc, enumerable: false },
    DA: { get: () => d.DAMpc, enumerable: false },
  }) as EndToEndDerived;
}

export interface EndToEndResult {
  /** the output k in 1/Mpc, per cosmology (with kOutHMpc: k h) */
  kOutMpc: Float64Array[];
  /** the output k in h/Mpc when asked for in h/Mpc */
  kOutHMpc?: Float64Array;
  /** spectrum -> [B, nK] tensor in (Mpc/h)^3 */
  spectra: Partial<Record<SpectrumName, tf.Tensor>>;
  /** classy's get_pk_mult rows, [B, nK] in Mpc^3 */
  components: Record<string, tf.Tensor2D>;
  /** [B] tensors of the quantities that fed the engine and the background at z */
  derived: EndToEndDerived;
  /** the linear spectrum that fed the loops, [B, nK] on `linearKMpc` (Mpc^3) */
  pkLin: tf.Tensor2D;
  linearKMpc: Float64Array;
  dispose(): void;
}

/**
 * Spectra for a batch of cosmologies (each at its own z, with its own nuisance parameters).
 * Call inside tf.tidy / a gradient function, or dispose() the result.
 */
export function predictFromCosmology(cases: CosmologyCase[], options: EndToEndOptions): EndToEndResult {
  if (!Array.isArray(cases) || cases.length === 0) throw new ClaxPtInputError('cases', 'expected a non-empty array of {params, z, bias}');
  if (!options || (!options.kOutMpc && !options.kOutHMpc)) throw new ClaxPtInputError('kOutMpc', 'missing (output wavenumbers: kOutMpc in 1/Mpc or kOutHMpc in h/Mpc)');
  if (options.kOutMpc && options.kOutHMpc) throw new ClaxPtInputError('kOutHMpc', 'give kOutMpc (1/Mpc) or kOutHMpc (h/Mpc), not both');
  const B = cases.length;
  const where = (b: number) => (B > 1 ? `cases[${b}].` : '');
  const host = cases.map((c, b) => validateCosmoParams(c?.params, `${where(b)}params`));
  const zs = cases.map((c, b) => {
    const zv = c?.z instanceof tf.Tensor ? (c.z.size === 1 ? readSync(c.z, 'z')[0] : NaN) : c?.z;
    return validateRedshifts(zv, `${where(b)}z`)[0];
  });
  cases.forEach((c, b) => {
    for (const [name, v] of Object.entries(c.bias ?? {})) {
      if (!(BIAS_NAMES as readonly string[]).includes(name)) throw new ClaxPtInputError(`${where(b)}bias.${name}`, `unknown nuisance parameter (known: ${BIAS_NAMES.join(', ')})`);
      const x = v instanceof tf.Tensor ? (v.size === 1 ? readSync(v, 'parameter')[0] : NaN) : v;
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new ClaxPtInputError(`${where(b)}bias.${name}`, `must be a finite number or a one-element tensor`);
    }
  });
  const omfid = options.omfid ?? 0.31;
  if (!(omfid > 0 && omfid < 1)) throw new ClaxPtInputError('omfid', `must lie in (0, 1), got ${omfid}`);
  const which = options.linearSpectrum ?? 'cb';
  if (which !== 'cb' && which !== 'm') throw new ClaxPtInputError('linearSpectrum', `'cb' or 'm', got ${String(which)}`);
  const rsd = options.redshiftSpace ?? true;
  const ap = rsd && (options.alcockPaczynski ?? true);
  const ir = options.irResummation ?? true;
  const em = getEmulator();
  const plan = getPlan({ n: options.n ?? 256 });

  const kept: tf.Tensor[] = [];
  const differentiable = cases.some((c) => c.z instanceof tf.Tensor || Object.values(c.params).some((v) => v instanceof tf.Tensor));
  const tInterp = options.classptTimeInterpolation;
  let brackets: ClassptTimeBracket[] | undefined;
  if (tInterp) {
    if (typeof tInterp.zMaxPk !== 'number' || !Number.isFinite(tInterp.zMaxPk)) throw new ClaxPtInputError('classptTimeInterpolation.zMaxPk', `must be a number, got ${String(tInterp.zMaxPk)}`);
    cases.forEach((c, b) => {
      if (c.z instanceof tf.Tensor) throw new ClaxPtInputError(`${where(b)}z`, 'must be a number with classptTimeInterpolation (the time samples are not differentiable in z)');
    });
    brackets = host.map((p, b) => {
      const br = classptTimeBracket({ omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm }, zs[b], tInterp.zMaxPk);
      if (br.zEarly > Z_RANGE[1]) throw new ClaxPtInputError(`${where(b)}z`, `CLASS-PT's time interpolation at z = ${zs[b]} needs P(k) at z = ${br.zEarly.toFixed(3)}, beyond the emulator's range`);
      return br;
    });
  }
  // numbers only: float64 values; tensor parameters: float64 values and Jacobian as one op; a
  // tensor z: the float32 tensor expressions (./linear-inputs.ts)
  const linHost = differentiable ? undefined : linearHost(host, zs, which, omfid, brackets);
  const zTensor = cases.some((c) => c.z instanceof tf.Tensor);
  const lin = linHost?.tensors ?? (zTensor ? linearTensors(cases, zs, which, omfid, brackets) : linearJacobianOp(cases, host, zs, which, omfid, brackets));
  kept.push(...Object.values(lin));

  const nK = em.engineKMpc.length;
  const scalar = (t: tf.Tensor1D, b: number) => tf.reshape(own.slice(t, [b], [1]), []);
  const rowsIn: CosmologyInput[] = cases.map((_, b) => {
    const s = tf.tidy(() => ({
      f: scalar(lin.f, b), rs: scalar(lin.rs, b), hr: scalar(lin.hratio, b), dr: scalar(lin.Dratio, b), h: scalar(lin.h, b),
      pk: tf.reshape(own.slice(lin.pk, [b, 0], [1, nK]), [nK]),
    }));
    kept.push(...Object.values(s));
    // without a tensor parameter the engine takes plain float64 numbers (no float32 twin to build)
    const h64 = linHost?.host[b];
    const x = h64 ? { pk: h64.pk, f: h64.f, rs: h64.rs, hr: h64.hratio, dr: h64.Dratio } : { pk: s.pk, f: s.f, rs: s.rs, hr: s.hr, dr: s.dr };
    return {
      kMpc: em.engineKMpc,
      pkMpc3: x.pk,
      h: differentiable ? s.h : host[b].h,
      n_s: host[b].n_s,
      rsDragMpc: ir ? x.rs : undefined,
      f: rsd ? x.f : undefined,
      hratio: ap ? x.hr : undefined,
      Dratio: ap ? x.dr : undefined,
    };
  });
  const kOutH = options.kOutHMpc ? Float64Array.from(options.kOutHMpc) : undefined;
  const kOut = options.kOutMpc ? Float64Array.from(options.kOutMpc) : undefined;
  const result = computeComponents(plan, rowsIn, {
    ...(kOutH ? { kOutHMpc: kOutH } : { kOutMpc: kOut }),
    components: options.components,
    irResummation: ir,
    redshiftSpace: rsd,
    alcockPaczynski: ap,
    biasedTracers: options.biasedTracers ?? true,
  });
  // nuisance parameters: one [B] tensor per name present in every case
  const names = BIAS_NAMES.filter((n) => cases.every((c) => c.bias?.[n] !== undefined));
  const bias: Bias = {};
  for (const n of names) {
    const t = tf.tidy(() => tf.stack(cases.map((c) => { const v = c.bias![n]!; return v instanceof tf.Tensor ? tf.reshape(v, []) : tf.scalar(v); })));
    kept.push(t);
    bias[n] = t;
  }
  const kCtx = kOutH ? { kOutHMpc: kOutH } : { kOutMpc: kOut };
  const spectra = assembleAll(result.components, bias, { h: lin.h, f: rsd ? lin.f : undefined, ...kCtx }, { only: options.only, skipMissing: options.only === undefined });
  return {
    kOutMpc: result.kOutMpc,
    kOutHMpc: kOutH,
    spectra,
    components: result.components,
    derived: withDeprecatedNames({ f: lin.f, hratio: lin.hratio, Dratio: lin.Dratio, rsDragMpc: lin.rs, HKmsMpc: lin.H, DAMpc: lin.DA }),
    pkLin: lin.pk,
    linearKMpc: em.engineKMpc,
    dispose() {
      result.dispose();
      tf.dispose(Object.values(spectra) as tf.Tensor[]);
      tf.dispose(kept);
    },
  };
}
