/**
 * The sampler's pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear
 * pseudorandom number generators", the 32-bit member of the xoshiro family, period 2^128 - 1),
 * seeded by splitmix64 (Steele, Lea & Flood 2014; the seeding Vigna recommends) from the pair
 * (seed, chain) only. Every chain therefore draws the same stream whether it runs in the main
 * thread, in a worker or in its own process, and the 4-word state is all a checkpoint needs.
 *
 * uniform(): 53 random bits (two 32-bit outputs: 27 + 26 bits) / 2^53, in [0, 1).
 * normal(): Box-Muller, one value per pair of uniforms (no cached spare: the state stays 4 words).
 */
import { ClaxPtInputError } from '../errors';

const MASK64 = (1n << 64n) - 1n;
/** splitmix64's increment (the golden ratio) and the constant that separates chains (Steele et al.'s second gamma) */
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const CHAIN_GAMMA = 0xd1b54a32d192ed03n;

/** One splitmix64 step: the next state and its output. */
function splitmix64(state: bigint): [bigint, bigint] {
  const s = (state + GOLDEN_GAMMA) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}

/** The xoshiro128** state of chain `chain` for `seed` (both non-negative integers). */
export function seedState(seed: number, chain: number): Uint32Array {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ClaxPtInputError('seed', `must be a non-negative integer, got ${seed}`);
  if (!Number.isSafeInteger(chain) || chain < 0) throw new ClaxPtInputError('chain', `must be a non-negative integer, got ${chain}`);
  let [s, a] = splitmix64(BigInt(seed));
  s = (a ^ ((BigInt(chain) * CHAIN_GAMMA) & MASK64)) & MASK64;
  let b: bigint;
  let c: bigint;
  [s, b] = splitmix64(s);
  [s, c] = splitmix64(s);
  const words = new Uint32Array([Number(b & 0xffffffffn), Number(b >> 32n), Number(c & 0xffffffffn), Number(c >> 32n)]);
  if (words.every((w) => w === 0)) words[0] = 1; // the one state xoshiro cannot leave
  return words;
}

export class Rng {
  private readonly s: Uint32Array;

  /** From (seed, chain), or from a state saved by `state()`. */
  constructor(seedOrState: number | ArrayLike<number>, chain = 0) {
    if (typeof seedOrState === 'number') {
      this.s = seedState(seedOrState, chain);
    } else {
      if (seedOrState.length !== 4) throw new ClaxPtInputError('rng', `a state has 4 words, got ${seedOrState.length}`);
      this.s = Uint32Array.from(seedOrState);
      if (this.s.every((w) => w === 0)) throw new ClaxPtInputError('rng', 'the all-zero state is not a valid xoshiro128** state');
    }
  }

  /** The next 32-bit output (xoshiro128**). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u1 = 1 - this.uniform(); // (0, 1]
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** The 4-word state (for checkpoints). */
  state(): number[] {
    return Array.from(this.s);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
