/**
 * The emulator's correction between its training k (scripts/train-dense-correction.ts): the
 * residual r = ln P - ln P_base is known at the 160 training k and splined in ln k between them;
 * near the baryon wiggles that spline misses r by up to 2.5e-3 (3-4 samples per period). The miss
 * c(k; omega_b, omega_cdm, h, m_ncdm), independent of z, A_s and n_s, was learnt from CLASS on a
 * dense band between two training nodes nodeLo < k < nodeHi: PCA components over the band whose
 * coefficients are polynomials of the four parameters (normalised to [-1, 1], total-degree
 * Legendre basis). Outside the band the correction is 0; inside, c at any k is the natural spline
 * in ln k over [nodeLo, band points, nodeHi] with c = 0 at the two nodes (where the residual
 * spline is exact), so the correction is continuous.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';
import { basisFromLegendre, basisHost, basisWithGradient, multiIndices, normalise, selectionMatrix } from './polynomial';
import { splineOperator } from '../numerics/spline';

export interface OffNodeCorrectionFile {
  kMpc: string;
  nodeLo: number;
  nodeHi: number;
  degree: number;
  ncomp: number;
  mean: string;
  components: string;
  weights: string;
}

export class OffNodeCorrection {
  /** the band's points, 1/Mpc */
  readonly kBand: Float64Array;
  readonly nodeLo: number;
  readonly nodeHi: number;
  private readonly degree: number;
  private readonly ncomp: number;
  private readonly idx: number[][];
  private readonly mean: Float64Array;
  private readonly comps: Float64Array;
  private readonly W: Float64Array;
  private tensors?: { sel: tf.Tensor2D; W: tf.Tensor2D; comps: tf.Tensor2D; mean: tf.Tensor2D };
  private opCache = new Map<string, { host: Float64Array; tensor?: tf.Tensor2D }>();

  constructor(file: OffNodeCorrectionFile, decode: (s: string) => Float64Array) {
    this.kBand = decode(file.kMpc);
    this.nodeLo = file.nodeLo;
    this.nodeHi = file.nodeHi;
    this.degree = file.degree;
    this.ncomp = file.ncomp;
    this.idx = multiIndices(4, this.degree);
    this.mean = decode(file.mean);
    this.comps = decode(file.components);
    this.W = decode(file.weights);
    if (this.W.length !== this.idx.length * this.ncomp) throw new Error('emulator weights: off-node correction size mismatch');
  }

  /** [nOut, nBand] map from c on the band to c at kOut (zero outside [nodeLo, nodeHi]). */
  private operator(kOut: Float64Array): { host: Float64Array; tensor?: tf.Tensor2D } {
    const key = Array.from(kOut).join(',');
    let op = this.opCache.get(key);
    if (op) return op;
    const nb = this.kBand.length;
    const knots = [Math.log(this.nodeLo), ...Array.from(this.kBand, Math.log), Math.log(this.nodeHi)];
    const inside = Array.from(kOut, (k) => k > this.nodeLo && k < this.nodeHi);
    const pts = Array.from(kOut, (k, o) => (inside[o] ? Math.log(k) : knots[0]));
    const full = splineOperator(knots, pts); // [nOut, nb + 2]
    const host = new Float64Array(kOut.length * nb);
    for (let o = 0; o < kOut.length; o++) {
      if (!inside[o]) continue;
      for (let b = 0; b < nb; b++) host[o * nb + b] = full[o * (nb + 2) + b + 1];
    }
    op = { host };
    if (this.opCache.size >= 8) {
      for (const v of this.opCache.values()) v.tensor?.dispose();
      this.opCache.clear();
    }
    this.opCache.set(key, op);
    return op;
  }

  /**
   * c at kOut (ln P units) for one cosmology, float64; with `jacobian`, also d c / d(parameters)
   * as [nOut, 6] (the emulator's parameter order: omega_b, omega_cdm, h, ln10^{10}A_s, n_s, m_ncdm;
   * c depends on the first three and m_ncdm).
   */
  host(p: { omega_b: number; omega_cdm: number; h: number; m_ncdm: number }, ranges: [number, number][], kOut: Float64Array, jacobian = false): { value: Float64Array; jacobian?: Float64Array } {
    const x = [p.omega_b, p.omega_cdm, p.h, p.m_ncdm].map((v, j) => normalise(v, ranges[j][0], ranges[j][1]));
    const nc = this.ncomp;
    const nb = this.kBand.length;
    const a = new Float64Array(nc);
    // d a_c / d x_j, [nc, 4]
    const da = new Float64Array(nc * 4);
    if (jacobian) {
      const { b, db } = basisWithGradient(x, this.idx, this.degree, 4);
      for (let i = 0; i < b.length; i++) {
        for (let c = 0; c < nc; c++) {
          const w = this.W[i * nc + c];
          a[c] += b[i] * w;
          for (let j = 0; j < 4; j++) da[c * 4 + j] += db[i * 4 + j] * w;
        }
      }
    } else {
      const basis = basisHost(x, this.idx, this.degree);
      for (let i = 0; i < basis.length; i++) for (let c = 0; c < nc; c++) a[c] += basis[i] * this.W[i * nc + c];
    }
    const band = Float64Array.from(this.mean);
    for (let c = 0; c < nc; c++) for (let b = 0; b < nb; b++) band[b] += a[c] * this.comps[c * nb + b];
    const op = this.operator(kOut).host;
    const value = Float64Array.from(kOut, (_, o) => {
      let v = 0;
      for (let b = 0; b < nb; b++) v += op[o * nb + b] * band[b];
      return v;
    });
    if (!jacobian) return { value };
    // d band / d x_j, then to kOut and to the parameters (x_j's slope 2/(hi - lo))
    const dBand = new Float64Array(nb * 4);
    for (let c = 0; c < nc; c++) for (let b = 0; b < nb; b++) for (let j = 0; j < 4; j++) dBand[b * 4 + j] += da[c * 4 + j] * this.comps[c * nb + b];
    const param = [0, 1, 2, 5];
    const out = new Float64Array(kOut.length * 6);
    for (let o = 0; o < kOut.length; o++) {
      for (let b = 0; b < nb; b++) {
        const w = op[o * nb + b];
        if (w === 0) continue;
        for (let j = 0; j < 4; j++) out[o * 6 + param[j]] += (w * dBand[b * 4 + j] * 2) / (ranges[j][1] - ranges[j][0]);
      }
    }
    return { value, jacobian: out };
  }

  /**
   * c at kOut for B cosmologies as a [B, nOut] tensor: `legendre` is the emulator's Legendre
   * table of its normalised inputs, [B, >= 4, >= degree + 1] (the first four inputs are these).
   */
  tensor(legendre: tf.Tensor3D, kOut: Float64Array): tf.Tensor2D {
    if (!this.tensors) {
      const nb = this.kBand.length;
      this.tensors = {
        sel: tf.keep(selectionMatrix(this.idx, 4, this.degree)),
        W: tf.keep(tf.tensor2d(Float32Array.from(this.W), [this.idx.length, this.ncomp])),
        comps: tf.keep(tf.tensor2d(Float32Array.from(this.comps), [this.ncomp, nb])),
        mean: tf.keep(tf.tensor2d(Float32Array.from(this.mean), [1, nb])),
      };
    }
    const op = this.operator(kOut);
    if (!op.tensor) {
      const nOut = kOut.length;
      const nb = this.kBand.length;
      const t = new Float32Array(nb * nOut);
      for (let o = 0; o < nOut; o++) for (let b = 0; b < nb; b++) t[b * nOut + o] = op.host[o * nb + b];
      op.tensor = tf.keep(tf.tensor2d(t, [nb, nOut]));
    }
    const T = this.tensors;
    return tf.tidy(() => {
      const B = legendre.shape[0];
      const L = own.slice(legendre, [0, 0, 0], [B, 4, this.degree + 1]) as tf.Tensor3D;
      const a = own.matMul(basisFromLegendre(L, T.sel), T.W); // [B, ncomp]
      const band = tf.add(own.matMul(a, T.comps), T.mean); // [B, nb]
      return own.matMul(band, op.tensor!) as tf.Tensor2D;
    });
  }

  dispose(): void {
    if (this.tensors) tf.dispose(Object.values(this.tensors));
    this.tensors = undefined;
    for (const v of this.opCache.values()) v.tensor?.dispose();
    this.opCache.clear();
  }
}

/**
 * The k at which the engine is fed: the training k outside the band, the band's two end nodes
 * and its points (no training node inside the band: a node a hair away from a band point would
 * turn float32 rounding into large spline curvature in the engine's input spline and in
 * CLASS-PT's time interpolation, which take second derivatives in ln k).
 */
export function engineGrid(kNodes: Float64Array, correction?: OffNodeCorrection): Float64Array {
  if (!correction) return kNodes;
  const outside = Array.from(kNodes).filter((k) => k <= correction.nodeLo || k >= correction.nodeHi);
  return Float64Array.from([...outside, ...correction.kBand].sort((a, b) => a - b));
}
