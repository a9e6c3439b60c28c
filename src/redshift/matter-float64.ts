/**
 * The IR-on AP projection of the matter multipoles in float64 on the host, per cosmology: the same
 * algorithm as ./matter-multipoles `projectMatterMultipoles` (CLASS-PT `nonlinear_pt_loop`, the AP
 * loop of the RSD part: every μ-power array at k_t by its natural spline in k over the FFTLog
 * nodes, the integrand at (k_t, mu_t) with the anisotropic BAO damping, Gauss-Legendre sums with
 * the fiducial L_l(mu)), evaluated pointwise in double precision as CLASS-PT does, from the
 * float64 loop arrays (../loops/exact-loops) and the float64 linear stage.
 *
 * Why: `loop_2_dd`, `loop_4_dd` and `loop_4_vd` carry the l = 2, 4 parts of the tree, whose
 * anisotropy (Sigma_tot(mu) and the AP map) is a small remainder of the tree's monopole; at high
 * redshift the loops are ~1/300 of the tree, so float32 interpolated integrands (relative
 * rounding 6e-8 of the tree) became 4e-5 (z = 2.4) to 1.6e-4 (z = 2.8) of loop_4_dd. Here every
 * step is float64 and the rows agree with CLASS-PT to the float32 storage of the result.
 * The float32 tensor projection still supplies the gradient where one can reach these rows
 * (./matter-multipoles `matterMultipoleRows` adds the constant difference). Plain data in and out
 * (no tfjs): in batches ../host/host-pool.ts runs it on two threads.
 */
import { apGaussRule, legendreEven } from '../numerics/gauss-legendre';
import { splineSecondDerivatives } from '../numerics/spline';

/** The multipole rows of the IR-on AP projection, in output order. */
export const MATTER_ROWS = [
  'loop_0_vv', 'loop_0_vd', 'loop_0_dd', 'loop_2_vv', 'loop_2_vd', 'loop_2_dd', 'loop_4_vv', 'loop_4_vd', 'loop_4_dd',
  'tree_0_vv', 'tree_0_vd', 'tree_0_dd', 'tree_2_vv', 'tree_2_vd', 'tree_4_vv', 'ctr_0', 'ctr_2', 'ctr_4',
] as const;

/** One cosmology's inputs. */
export interface MatterProjectionInputs {
  /** the μ-power loop arrays (./matter-multipoles MuPowerLoops): names and float64 values [C, N] */
  names: string[];
  values: Float64Array;
  /** FFTLog nodes (1/Mpc) */
  k: Float64Array;
  sigma2: number;
  deltaSigma2: number;
  f: number;
  /** 1 and 1 when AP is off */
  hratio: number;
  dratio: number;
  nSide: number;
}

/** mu_t power (0..8) and family of a μ-power channel name (`P22_mu4_vv`, `P13w_mu6`, ...) */
function channelOf(name: string): { p: number; family: 0 | 1 | 2; kind: 'nw22' | 'nw13' | 'w' } {
  const p = Number(/_mu(\d)/.exec(name)![1]);
  const family = name.includes('_dd') ? 2 : name.includes('_vd') ? 1 : 0; // vv, vd, dd
  const kind = name.startsWith('P22w_') || name.startsWith('P13w_') ? 'w' : name.startsWith('P13_') ? 'nw13' : 'nw22';
  return { p, family, kind };
}

/** The 18 rows of MATTER_ROWS on the FFTLog grid, float64, [18, N] (zero at the Nside end nodes, as in CLASS-PT's AP loop). */
export function matterMultipolesFloat64(x: MatterProjectionInputs): Float64Array {
  const { names, values, k, nSide, f } = x;
  const n = k.length;
  const iNw = names.indexOf('Pnw');
  const iW = names.indexOf('Pw');
  // the loop channels grouped by (modulation, family, mu_t power): channels of one group enter the
  // integrand together, so they are summed on the grid and interpolated once (P22w and P13w of
  // the same family and power share the modulation e). Group 0 and 1 are Pnw and Pw.
  const groupOf = new Map<string, number>([['Pnw', 0], ['Pw', 1]]);
  const members: number[][] = [[iNw], [iW]];
  const family: number[] = [];
  const factorIdx: number[] = [];
  names.forEach((name, c) => {
    if (c === iNw || c === iW) return;
    const ch = channelOf(name);
    const kind = ch.kind === 'nw22' ? 0 : ch.kind === 'nw13' ? 1 : 2;
    const key = `${kind}:${ch.family}:${ch.p}`;
    let g = groupOf.get(key);
    if (g === undefined) {
      groupOf.set(key, (g = members.push([]) - 1));
      family.push(ch.family);
      factorIdx.push(kind * 5 + ch.p / 2);
    }
    members[g].push(c);
  });
  const C = members.length;
  const L = C - 2;
  const rule = apGaussRule();
  const G = rule.x.length;
  // w_g (2l + 1)/2 L_l(mu_g) for l = 0, 2, 4 (without the volume factor), [G, 3]
  const lw = new Float64Array(3 * G);
  for (let g = 0; g < G; g++) for (let l = 0; l < 3; l++) lw[3 * g + l] = rule.w[g] * legendreEven((2 * l) as 0 | 2 | 4, rule.x[g]) * ((4 * l + 1) / 2);
  const R = MATTER_ROWS.length;
  const row = Object.fromEntries(MATTER_ROWS.map((name, r) => [name, r])) as Record<(typeof MATTER_ROWS)[number], number>;
  const out = new Float64Array(R * n);
  const at = new Float64Array(C);
  const factor = new Float64Array(15);
  const fam = new Float64Array(3);
  const sums = new Float64Array(27); // [loops | trees | ctrs] x (a = 0..2) x (l = 0..2)
  const nodes = new Float64Array(n * 2 * C); // per node: the C values, then their C second derivatives
  {
    const hr = x.hratio;
    const invD2 = 1 / (x.dratio * x.dratio);
    const volume = hr * invD2;
    const { sigma2, deltaSigma2 } = x;
    for (let c = 0; c < C; c++) {
      const y = new Float64Array(n);
      for (const m of members[c]) {
        const src = m * n;
        for (let i = 0; i < n; i++) y[i] += values[src + i];
      }
      const d2 = splineSecondDerivatives(k, y);
      for (let i = 0; i < n; i++) {
        nodes[i * 2 * C + c] = y[i];
        nodes[i * 2 * C + C + c] = d2[i];
      }
    }
    for (let j = nSide; j < n - nSide; j++) {
      sums.fill(0);
      for (let g = 0; g < G; g++) {
        const mu = rule.x[g];
        const q2 = invD2 + (hr * hr - invD2) * mu * mu;
        const kt = k[j] * Math.sqrt(q2);
        const mu2 = (mu * mu * hr * hr) / q2;
        // CLASS-PT AP_BSEARCH_SETUP: k[i] <= k_t < k[i + 1], i in [0, n - 2], walked from node j
        let i = j;
        while (i > 0 && kt < k[i]) i--;
        while (i < n - 2 && kt >= k[i + 1]) i++;
        const h = k[i + 1] - k[i];
        const wb = (kt - k[i]) / h;
        const wa = 1 - wb;
        const wa3 = ((wa * wa * wa - wa) * h * h) / 6;
        const wb3 = ((wb * wb * wb - wb) * h * h) / 6;
        const o0 = i * 2 * C;
        const o1 = o0 + 2 * C;
        for (let c = 0; c < C; c++) at[c] = wa * nodes[o0 + c] + wb * nodes[o1 + c] + wa3 * nodes[o0 + C + c] + wb3 * nodes[o1 + C + c];
        const kt2 = kt * kt;
        const sigmaTot = sigma2 * (1 + f * mu2 * (2 + f)) + f * f * mu2 * (mu2 - 1) * deltaSigma2;
        const e = Math.exp(-sigmaTot * kt2);
        const pNw = at[0];
        const pWe = at[1] * e;
        const ratio = 1 + pWe / pNw; // CLASS-PT P13ratio
        const pTree = pNw + (1 + sigmaTot * kt2) * pWe;
        const ctr = kt2 * (pNw + pWe);
        let m = 1;
        for (let p = 0; p < 5; p++, m *= mu2) {
          factor[p] = m;
          factor[5 + p] = m * ratio;
          factor[10 + p] = m * e;
        }
        fam[0] = 0;
        fam[1] = 0;
        fam[2] = 0;
        for (let c = 0; c < L; c++) fam[family[c]] += at[c + 2] * factor[factorIdx[c]];
        const t1 = f * mu2;
        const t2 = t1 * t1;
        for (let l = 0; l < 3; l++) {
          const w = lw[3 * g + l];
          sums[l] += w * fam[0];
          sums[3 + l] += w * fam[1];
          sums[6 + l] += w * fam[2];
          sums[9 + l] += w * pTree;
          sums[12 + l] += w * t1 * pTree;
          sums[15 + l] += w * t2 * pTree;
          sums[18 + l] += w * ctr;
          sums[21 + l] += w * t1 * ctr;
          sums[24 + l] += w * t2 * ctr;
        }
      }
      const put = (name: (typeof MATTER_ROWS)[number], v: number) => (out[row[name] * n + j] = volume * v);
      // loops by family (vv, vd, dd) and l; 2_dd, 4_dd carry the tree, 4_vd 2 f mu_t^2 tree (CLASS-PT's P1loopdd_ap_ir, P1loopvd_ap_ir)
      put('loop_0_vv', sums[0]); put('loop_2_vv', sums[1]); put('loop_4_vv', sums[2]);
      put('loop_0_vd', sums[3]); put('loop_2_vd', sums[4]); put('loop_4_vd', sums[5] + 2 * sums[14]);
      put('loop_0_dd', sums[6]); put('loop_2_dd', sums[7] + sums[10]); put('loop_4_dd', sums[8] + sums[11]);
      put('tree_0_dd', sums[9]);
      put('tree_0_vd', 2 * sums[12]); put('tree_2_vd', 2 * sums[13]);
      put('tree_0_vv', sums[15]); put('tree_2_vv', sums[16]); put('tree_4_vv', sums[17]);
      put('ctr_0', -sums[18]); put('ctr_2', -sums[22]); put('ctr_4', -sums[26]);
    }
  }
  return out;
}
