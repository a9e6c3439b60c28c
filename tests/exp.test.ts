import { describe, expect, it } from 'vitest';
import { exp64 } from '../src/numerics/exp';

/** distance between neighbouring doubles at v */
function ulp(v: number): number {
  const b = new Float64Array([Math.abs(v)]);
  const i = new BigInt64Array(b.buffer);
  i[0] += 1n;
  return b[0] - Math.abs(v);
}

describe('exp64', () => {
  it('is within 2 ulp of Math.exp', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let worst = 0;
    for (const span of [1e-6, 1, 40, 1400]) {
      for (let i = 0; i < 20000; i++) {
        const x = (rnd() - 0.5) * span;
        const ref = Math.exp(x);
        worst = Math.max(worst, Math.abs(exp64(x) - ref) / ulp(ref));
      }
    }
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('is exact at 0 and defers to Math.exp at the edges', () => {
    expect(exp64(0)).toBe(1);
    for (const x of [710, -750, Infinity, -Infinity, NaN]) expect(Object.is(exp64(x), Math.exp(x))).toBe(true);
  });
});
