/**
 * The float64 host sums of ./ap-moments.ts (CLASS-PT's bias AP projection reordered as moments
 * of the spline cells next to each node): no tensors here, so a worker thread can run them
 * (../host/host-pool.ts).
 */
import { apGaussRule, legendreEven } from '../numerics/gauss-legendre';

/** The μ_t-dependent factor of a channel: 1, L_2(mu_t) or L_4(mu_t). */
export type AngularFactor = 0 | 2 | 4;

export interface MomentInputs {
  gridKMpc: Float64Array[];
  hratio: number[];
  dratio: number[];
}

/** The float64 host side of a moment set (see ./apMoments). */
export interface HostMoments {
  /** [B, J, 5] row-major: M0, M1, M2, M3 below, M3 above */
  m64: Float64Array;
  /** [B, J, G] weights of far nodes (zero for adjacent ones); empty when anyFar is false */
  far: Float64Array;
  anyFar: boolean;
  adjMask: Float32Array;
  loMask: Float32Array;
  upMask: Float32Array;
}

/** The nine (l, phi) pairs of the bias AP projection. */
export const MOMENT_SETS: readonly [0 | 2 | 4, AngularFactor][] = [0, 2, 4].flatMap((phi) =>
  [0, 2, 4].map((l) => [l, phi] as [0 | 2 | 4, AngularFactor]),
);

/** What every moment set of a pass shares: sizes and the masks of the cells next to each node. */
interface MomentCells {
  nj: number;
  ng: number;
  anyFar: boolean;
  adjMask: Float32Array;
  loMask: Float32Array;
  upMask: Float32Array;
}

/** Every (l, phi) moment set of a batch from one host pass (the geometry is shared). */
export interface HostMomentSets extends MomentCells {
  /** `${l},${phi}` -> sums and far weights */
  sets: Map<string, { m64: Float64Array; far: Float64Array }>;
  get(l: 0 | 2 | 4, phi: AngularFactor): HostMoments;
}

/**
 * Sums the moments in float64 for every requested (l, phi) in one pass over (k_j, mu_g): the
 * geometry (q, delta, brackets, mu_t) is computed once and shared; each sum is accumulated in
 * the same order and with the same products as a pass per set.
 */
export function hostApMomentSets(
  host: MomentInputs,
  nSide: number,
  wanted: readonly [0 | 2 | 4, AngularFactor][] = MOMENT_SETS,
): HostMomentSets {
  return withGetter(hostMomentData(host, nSide, wanted));
}

/** ./hostApMomentSets as plain data. */
export function hostMomentData(
  host: MomentInputs,
  nSide: number,
  wanted: readonly [0 | 2 | 4, AngularFactor][] = MOMENT_SETS,
): MomentData {
  const B = host.gridKMpc.length;
  const n = host.gridKMpc[0].length;
  const nj = n - 2 * nSide;
  const rule = apGaussRule();
  const ng = rule.x.length;
  const adjMask = new Float32Array(B * nj * ng);
  const loMask = new Float32Array(B * nj * ng);
  const upMask = new Float32Array(B * nj * ng);
  const S = wanted.length;
  const m64s = wanted.map(() => new Float64Array(B * nj * 5));
  // far-node weights: allocated at the first far node (none for the usual small AP distortions)
  let fars: Float64Array[] = wanted.map(() => new Float64Array(0));
  // per node and set: w_g (2l+1)/2 L_l(mu_g) (times the volume per cosmology below), flat [g][s]
  const lw = new Float64Array(ng * S);
  rule.x.forEach((mu, g) => wanted.forEach(([l], s) => (lw[g * S + s] = ((2 * l + 1) / 2) * legendreEven(l, mu))));
  const phis = Int32Array.from(wanted, ([, phi]) => phi / 2);
  const lPhi = new Float64Array(3);
  const acc = new Float64Array(S * 5); // the sums of one (b, j), in node order
  let anyFar = false;
  for (let b = 0; b < B; b++) {
    const k = host.gridKMpc[b];
    const hr = host.hratio[b];
    const invD2 = 1 / (host.dratio[b] * host.dratio[b]);
    const volume = hr * invD2;
    for (let jj = 0; jj < nj; jj++) {
      const j = jj + nSide;
      const kj = k[j];
      const kUp = k[j + 1];
      const kLo = k[j - 1];
      acc.fill(0);
      for (let g = 0; g < ng; g++) {
        const mu = rule.x[g];
        const q2m1 = invD2 - 1 + (hr * hr - invD2) * mu * mu;
        const q = Math.sqrt(1 + q2m1);
        const delta = (kj * q2m1) / (q + 1); // k_j (q - 1)
        const kt = kj * q;
        const mu2t = (mu * mu * hr * hr) / (q * q); // L_2, L_4 of mu_t need mu_t^2 only
        lPhi[0] = 1;
        lPhi[1] = (3 * mu2t - 1) / 2;
        lPhi[2] = (35 * mu2t * mu2t - 30 * mu2t + 3) / 8;
        const idx = (b * nj + jj) * ng + g;
        // the bracket of AP_BSEARCH_SETUP, restricted to the neighbourhood of node j
        const upper = kt >= kj && kt < kUp;
        const lower = kt < kj && kt >= kLo;
        const wv = rule.w[g] * volume;
        if (upper || lower) {
          adjMask[idx] = 1;
          if (lower) loMask[idx] = 1;
          else upMask[idx] = 1;
          const d2 = delta * delta;
          const d3 = d2 * delta;
          const at3 = lower ? 3 : 4;
          for (let s = 0, o = 0; s < S; s++, o += 5) {
            const c = wv * lw[g * S + s] * lPhi[phis[s]];
            acc[o] += c;
            acc[o + 1] += c * delta;
            acc[o + 2] += c * d2;
            acc[o + at3] += c * d3;
          }
        } else {
          if (!anyFar) fars = wanted.map(() => new Float64Array(B * nj * ng));
          anyFar = true;
          for (let s = 0; s < S; s++) fars[s][idx] = wv * lw[g * S + s] * lPhi[phis[s]];
        }
      }
      const base = (b * nj + jj) * 5;
      for (let s = 0; s < S; s++) m64s[s].set(acc.subarray(5 * s, 5 * s + 5), base);
    }
  }
  return { nj, ng, anyFar, adjMask, loMask, upMask, keys: wanted.map(([l, phi]) => `${l},${phi}`), m64s, fars };
}

/** The plain data of HostMomentSets (what a worker thread can post). */
export interface MomentData extends MomentCells {
  /** `${l},${phi}` per set */
  keys: string[];
  m64s: Float64Array[];
  fars: Float64Array[];
}

export function withGetter(d: MomentData): HostMomentSets {
  const sets = new Map<string, { m64: Float64Array; far: Float64Array }>();
  d.keys.forEach((key, s) => sets.set(key, { m64: d.m64s[s], far: d.fars[s] }));
  const { nj, ng, anyFar, adjMask, loMask, upMask } = d;
  return {
    nj, ng, anyFar, adjMask, loMask, upMask, sets,
    get(l, phi) {
      const set = sets.get(`${l},${phi}`);
      if (!set) throw new Error(`internal: moment set (${l}, ${phi}) was not computed`);
      return { ...set, anyFar, adjMask, loMask, upMask };
    },
  };
}

/**
 * The moment sets of a batch from those of its parts (cosmologies computed separately, e.g. on
 * a worker thread): every array is [B, ...] with the cosmology outermost, so they concatenate.
 */
export function concatMomentSets(parts: HostMomentSets[]): HostMomentSets {
  const cat = <T extends Float32Array | Float64Array>(arrays: T[], make: (n: number) => T): T => {
    const out = make(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  const first = parts[0];
  const keys = [...first.sets.keys()];
  const anyFar = parts.some((p) => p.anyFar);
  const B = (p: HostMomentSets) => p.adjMask.length / (p.nj * p.ng);
  return withGetter({
    nj: first.nj, ng: first.ng, anyFar, keys,
    adjMask: cat(parts.map((p) => p.adjMask), (n) => new Float32Array(n)),
    loMask: cat(parts.map((p) => p.loMask), (n) => new Float32Array(n)),
    upMask: cat(parts.map((p) => p.upMask), (n) => new Float32Array(n)),
    m64s: keys.map((k) => cat(parts.map((p) => p.sets.get(k)!.m64), (n) => new Float64Array(n))),
    // far weights exist for every cosmology once any has a far node (zeros elsewhere)
    fars: keys.map((k) => anyFar
      ? cat(parts.map((p) => (p.anyFar ? p.sets.get(k)!.far : new Float64Array(B(p) * p.nj * p.ng))), (n) => new Float64Array(n))
      : new Float64Array(0)),
  });
}

/** Sums the moments in float64 for multipole l and angular factor phi. */
export function hostApMoments(host: MomentInputs, nSide: number, l: 0 | 2 | 4, phi: AngularFactor): HostMoments {
  return hostApMomentSets(host, nSide, [[l, phi]]).get(l, phi);
}
