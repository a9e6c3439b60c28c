/** The comparison metric of the oracle suite: max |ours - ref| / max |ref| over a k window. */
export const K_WINDOW_HMPC: [number, number] = [0.005, 0.3];

export function maxRelativeError(
  ours: ArrayLike<number>,
  ref: ArrayLike<number>,
  kHMpc: ArrayLike<number>,
  window: [number, number] = K_WINDOW_HMPC,
): number {
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    if (kHMpc[i] < window[0] || kHMpc[i] > window[1]) continue;
    maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
    maxRef = Math.max(maxRef, Math.abs(ref[i]));
  }
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}

/** Tracks the worst case of a named quantity over many cases and prints a table. */
export class WorstCase {
  private worst = new Map<string, { err: number; id: string; count: number }>();

  add(name: string, id: string, err: number): void {
    const cur = this.worst.get(name);
    if (!cur) this.worst.set(name, { err, id, count: 1 });
    else {
      cur.count++;
      if (!(err <= cur.err)) {
        cur.err = err;
        cur.id = id;
      }
    }
  }

  get(name: string): number {
    return this.worst.get(name)?.err ?? NaN;
  }

  entries(): [string, { err: number; id: string; count: number }][] {
    return [...this.worst.entries()];
  }

  table(title: string): string {
    const rows = this.entries().map(
      ([name, w]) => `  ${name.padEnd(22)} ${w.err.toExponential(2).padStart(10)}  (worst: ${w.id}, ${w.count} cases)`,
    );
    return [`${title}: worst max|delta|/max|ref| over k in [0.005, 0.3] h/Mpc`, ...rows].join('\n');
  }
}

/** max |values| over the k window. */
export function maxAbsInWindow(values: ArrayLike<number>, kHMpc: ArrayLike<number>, window: [number, number] = K_WINDOW_HMPC): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) if (kHMpc[i] >= window[0] && kHMpc[i] <= window[1]) m = Math.max(m, Math.abs(values[i]));
  return m;
}

/** A small seeded generator (LCG) of uniform numbers in [0, 1), for reproducible tests. */
export function uniformRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The same, centred: uniform in [-0.5, 0.5). */
export function centredRng(seed: number): () => number {
  const u = uniformRng(seed);
  return () => u() - 0.5;
}

/** max_i |a_i - b_i| */
export const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** sum_i a_i b_i */
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
