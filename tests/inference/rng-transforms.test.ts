/**
 * The PRNG against the reference C code (Vigna's xoshiro128** and splitmix64, compiled with gcc;
 * the numbers below are its output), and the bounded <-> unconstrained transforms: round trips,
 * log-Jacobians and gradients against central finite differences.
 */
import { describe, expect, it } from 'vitest';
import { Rng, seedState } from '../../src/inference/rng';
import { ParameterTransforms } from '../../src/inference/transforms';
import { UnconstrainedDensity } from '../../src/inference/unconstrained';
import { analyticTarget } from '../../src/inference/analytic-targets';
import { ClaxPtInputError } from '../../src/errors';

describe('rng', () => {
  it('xoshiro128** equals the reference implementation from state {1, 2, 3, 4}', () => {
    const r = new Rng([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('seeding by splitmix64 from (seed, chain) equals the reference', () => {
    expect(Array.from(seedState(1234567, 0))).toEqual([103484617, 2260672578, 3948621239, 3030029799]);
    expect(Array.from(seedState(1234567, 3))).toEqual([1963332639, 1590088627, 3759933865, 2542662980]);
    expect(Array.from(seedState(0, 1))).toEqual([607587826, 4049679458, 2606296855, 2071157804]);
  });

  it('streams depend only on (seed, chain); the state round-trips', () => {
    const a = new Rng(7, 2);
    const b = new Rng(7, 2);
    const c = new Rng(7, 3);
    const xa = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.normal())).not.toEqual(xa);
    const saved = a.state();
    const next = a.uniform();
    expect(new Rng(saved).uniform()).toBe(next);
  });

  it('uniform lies in [0, 1) and normal has mean 0 and variance 1 (20000 draws, 5 sigma)', () => {
    const r = new Rng(1, 1);
    let m = 0;
    let v = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      m += z / n;
      v += (z * z) / n;
    }
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });

  it('refuses bad seeds and states', () => {
    expect(() => new Rng(-1)).toThrow(ClaxPtInputError);
    expect(() => new Rng(1.5)).toThrow(/seed/);
    expect(() => new Rng([0, 0, 0, 0])).toThrow(/all-zero/);
  });
});

describe('transforms', () => {
  const t = new ParameterTransforms([{ name: 'a' }, { name: 'b', lower: 0.5 }, { name: 'c', upper: -1 }, { name: 'd', lower: 0.01, upper: 0.04 }]);

  it('round trip x -> u -> x', () => {
    const x = Float64Array.of(-3, 0.7, -2.5, 0.022);
    const back = t.toConstrained(t.toUnconstrained(x));
    x.forEach((v, i) => expect(Math.abs(back[i] - v)).toBeLessThan(1e-15 * Math.max(1, Math.abs(v))));
  });

  it('log|dx/du| and its gradient equal central differences', () => {
    for (const u of [Float64Array.of(0.3, -1.2, 2.1, -0.7), Float64Array.of(-2, 3, -4, 5)]) {
      const grad = new Float64Array(4);
      const lj = t.logJacobian(u, grad);
      const h = 1e-6;
      let sum = 0;
      for (let i = 0; i < 4; i++) {
        const up = Float64Array.from(u);
        const um = Float64Array.from(u);
        up[i] += h;
        um[i] -= h;
        const dx = (t.toConstrained(up)[i] - t.toConstrained(um)[i]) / (2 * h);
        sum += Math.log(Math.abs(dx));
        const dlj = (t.logJacobian(up) - t.logJacobian(um)) / (2 * h);
        // central differences with h = 1e-6: rounding ~1e-16 |log J| / h; measured worst 1.0e-9
        expect(Math.abs(grad[i] - dlj)).toBeLessThan(3e-9);
      }
      // the rounding of the FD derivative, eps |x| / (h |dx/du|), is largest for the interval
      // coordinate at u = 5 (|dx/du| = 2e-4): measured worst 1.4e-8
      expect(Math.abs(lj - sum)).toBeLessThan(5e-8);
    }
  });

  it('the unconstrained density gradient (target chain rule + Jacobian) equals central differences', () => {
    const target = analyticTarget({ kind: 'gaussian', mean: [1, 2, 0], sd: [1, 0.5, 2], rho: 0.3, lower: [0, null, -1], upper: [3, null, null] });
    const d = new UnconstrainedDensity(target);
    const u = Float64Array.of(0.4, 1.7, 0.2);
    const g = new Float64Array(3);
    d.logDensity(u, g);
    const h = 1e-6;
    const tmp = new Float64Array(3);
    for (let i = 0; i < 3; i++) {
      const up = Float64Array.from(u);
      const um = Float64Array.from(u);
      up[i] += h;
      um[i] -= h;
      const fd = (d.logDensity(up, tmp) - d.logDensity(um, tmp)) / (2 * h);
      expect(Math.abs(g[i] - fd)).toBeLessThan(3e-10); // measured worst 8.9e-11
    }
  });

  it('refuses a point outside its bounds and bad bounds, naming the field', () => {
    expect(() => t.toUnconstrained([0, 0.5, -2, 0.02], 'initial')).toThrow(/initial\[1\] \(b\)/);
    expect(() => t.toUnconstrained([NaN, 1, -2, 0.02], 'initial')).toThrow(/initial\[0\] \(a\): must be finite/);
    expect(() => new ParameterTransforms([{ name: 'x', lower: 1, upper: 1 }])).toThrow(/parameters\[0\]\.upper/);
    expect(() => new ParameterTransforms([{ name: 'x', lower: -Infinity }])).toThrow(/parameters\[0\]\.lower/);
  });
});
