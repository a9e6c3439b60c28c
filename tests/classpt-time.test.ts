/**
 * CLASS-PT's time interpolation of P_L (src/cosmology/classpt-time-interpolation.ts): the source
 * time samples bracketing z = 0.38 and 0.61 for a BOSS-like run (z_max_pk = 0.61), and the spline
 * weights in ln tau, against the same algorithm run on CLASS's own background table in Python
 * (classy's get_background; scratch prototype, values pinned below). With CLASS's P at those
 * samples, that prototype reproduced CLASS-PT's internal P_L to 8e-8.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { classptTimeBracket } from '../src/cosmology/classpt-time-interpolation';

// label, z, z of the earlier and later sample, weight a of the earlier one, h = Delta ln tau
const PINNED: [string, number, number, number, number, number][] = [
  ['p00', 0.38, 0.43889198101032206, 0.30086950820475356, 0.5785145838348471, 0.03978461544650003],
  ['p00', 0.61, 0.7575963505018248, 0.5906795263944352, 0.11877894608739303, 0.04345402225840367],
  ['p01', 0.38, 0.4380056038654354, 0.2998673531537522, 0.5849858688714143, 0.039173972211859365],
  ['p01', 0.61, 0.7569935482283099, 0.5899288071969476, 0.12315799923817594, 0.04297825041538772],
  ['p02', 0.38, 0.43915765075975155, 0.30117118326238823, 0.5765742834825811, 0.039941822621413436],
  ['p02', 0.61, 0.7577756091762757, 0.5909036962826961, 0.11747106145483954, 0.043564128028803495],
];

describe("CLASS-PT's time samples", () => {
  it('bracket the requested z as CLASS does', () => {
    const ref = JSON.parse(gunzipSync(readFileSync(join(__dirname, 'data', 'boss-reference.json.gz'))).toString()) as { points: { params: Record<string, number | string> }[] };
    let worstZ = 0;
    let worstA = 0;
    for (const [label, z, zEarly, zLate, a, h] of PINNED) {
      const p = ref.points.find((q) => q.params.label === label)!.params as Record<string, number>;
      const b = classptTimeBracket({ omegaB: p.omega_b, omegaCdm: p.omega_cdm, h: p.h, mNu: p.m_ncdm }, z, 0.61);
      worstZ = Math.max(worstZ, Math.abs(b.zEarly - zEarly), Math.abs(b.zLate - zLate));
      worstA = Math.max(worstA, Math.abs(b.a - a), Math.abs(b.h - h) / h);
    }
    console.log(`CLASS-PT time samples vs CLASS's background table: z ${worstZ.toExponential(2)}, weights ${worstA.toExponential(2)}`);
    // measured 1.0e-7 (z) and 6.0e-7 (weights): CLASS's tabulated background vs ours
    expect(worstZ).toBeLessThan(3e-7);
    expect(worstA).toBeLessThan(2e-6);
  });
});
