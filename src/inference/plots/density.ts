/**
 * Marginal densities from draws for the corner plot: histograms on a regular grid smoothed by
 * a Gaussian kernel (bandwidth by Silverman's rule, 0.9 min(sd, IQR/1.34) n^(-1/5) in 1D and
 * n^(-1/6) per axis in 2D, Scott's dimension scaling), reflected at a prior bound that lies in
 * the plotted range (so a posterior piled against a bound is not smeared across it); the
 * density levels enclosing 68% and 95% of the mass; and marching squares for the contour
 * lines and filled regions.
 */

export interface Axis {
  lo: number;
  hi: number;
  /** reflect the kernel at lo / hi (a prior bound) */
  reflectLo: boolean;
  reflectHi: boolean;
}

function sortedCopy(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

function q(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const l = Math.floor(h);
  return sorted[l] + (h - l) * (sorted[Math.min(l + 1, sorted.length - 1)] - sorted[l]);
}

/** Silverman's bandwidth scale (without the n power): 0.9 min(sd, IQR / 1.34) */
function spread(x: ArrayLike<number>, sorted: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m += x[i];
  m /= x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i] - m) ** 2;
  const sd = Math.sqrt(v / Math.max(1, x.length - 1));
  const iqr = (q(sorted, 0.75) - q(sorted, 0.25)) / 1.34;
  const s = iqr > 0 ? Math.min(sd, iqr) : sd;
  return 0.9 * (s > 0 ? s : Math.abs(m) * 1e-3 || 1);
}

/** the plotted range: the central 99.8% of the draws, padded, clipped at prior bounds */
export function axisFor(x: ArrayLike<number>, lower?: number, upper?: number): Axis {
  const s = sortedCopy(x);
  let lo = q(s, 0.001);
  let hi = q(s, 0.999);
  const pad = 0.08 * (hi - lo || Math.abs(lo) || 1);
  lo -= pad;
  hi += pad;
  const reflectLo = lower !== undefined && lo <= lower;
  const reflectHi = upper !== undefined && hi >= upper;
  if (reflectLo) lo = lower as number;
  if (reflectHi) hi = upper as number;
  return { lo, hi, reflectLo, reflectHi };
}

/** Gaussian smoothing of a 1D array (bin units), reflective or zero padding at each end */
function smooth1d(h: Float64Array, sigmaBins: number, reflectLo: boolean, reflectHi: boolean): Float64Array {
  const n = h.length;
  const r = Math.max(1, Math.ceil(4 * sigmaBins));
  const w = Float64Array.from({ length: 2 * r + 1 }, (_, k) => Math.exp(-0.5 * ((k - r) / sigmaBins) ** 2));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (h[i] === 0) continue;
    for (let k = -r; k <= r; k++) {
      let j = i + k;
      if (j < 0) {
        if (!reflectLo) continue;
        j = -1 - j;
      } else if (j >= n) {
        if (!reflectHi) continue;
        j = 2 * n - 1 - j;
      }
      if (j >= 0 && j < n) out[j] += h[i] * w[k + r];
    }
  }
  return out;
}

/** smoothed 1D density on `bins` bin centres (normalised to peak 1) */
export function density1d(x: ArrayLike<number>, axis: Axis, bins = 120): { centres: Float64Array; density: Float64Array } {
  const h = new Float64Array(bins);
  const width = (axis.hi - axis.lo) / bins;
  for (let i = 0; i < x.length; i++) {
    const b = Math.floor((x[i] - axis.lo) / width);
    if (b >= 0 && b < bins) h[b]++;
  }
  const s = sortedCopy(x);
  const bw = spread(x, s) * Math.pow(x.length, -1 / 5);
  const d = smooth1d(h, Math.max(0.5, bw / width), axis.reflectLo, axis.reflectHi);
  const peak = Math.max(...d);
  return { centres: Float64Array.from({ length: bins }, (_, i) => axis.lo + (i + 0.5) * width), density: d.map((v) => (peak > 0 ? v / peak : 0)) };
}

/** smoothed 2D density, grid[iy * bins + ix], normalised to unit sum */
export function density2d(x: ArrayLike<number>, y: ArrayLike<number>, ax: Axis, ay: Axis, bins = 60): Float64Array {
  const g = new Float64Array(bins * bins);
  const wx = (ax.hi - ax.lo) / bins;
  const wy = (ay.hi - ay.lo) / bins;
  for (let i = 0; i < x.length; i++) {
    const bx = Math.floor((x[i] - ax.lo) / wx);
    const by = Math.floor((y[i] - ay.lo) / wy);
    if (bx >= 0 && bx < bins && by >= 0 && by < bins) g[by * bins + bx]++;
  }
  const n = x.length;
  const sx = (spread(x, sortedCopy(x)) * Math.pow(n, -1 / 6)) / wx;
  const sy = (spread(y, sortedCopy(y)) * Math.pow(n, -1 / 6)) / wy;
  const row = new Float64Array(bins);
  for (let r = 0; r < bins; r++) {
    for (let c = 0; c < bins; c++) row[c] = g[r * bins + c];
    g.set(smooth1d(row, Math.max(0.5, sx), ax.reflectLo, ax.reflectHi), r * bins);
  }
  for (let c = 0; c < bins; c++) {
    for (let r = 0; r < bins; r++) row[r] = g[r * bins + c];
    const s = smooth1d(row, Math.max(0.5, sy), ay.reflectLo, ay.reflectHi);
    for (let r = 0; r < bins; r++) g[r * bins + c] = s[r];
  }
  const total = g.reduce((a, b) => a + b, 0);
  return total > 0 ? g.map((v) => v / total) : g;
}

/** density levels enclosing each mass fraction (of a grid normalised to unit sum) */
export function massLevels(grid: Float64Array, masses: number[]): number[] {
  const s = Float64Array.from(grid).sort().reverse();
  return masses.map((m) => {
    let c = 0;
    for (let i = 0; i < s.length; i++) {
      c += s[i];
      if (c >= m) return s[i];
    }
    return s[s.length - 1];
  });
}

type Pt = [number, number];

/**
 * Marching squares at `level` over grid values at points (x = i, y = j) in grid units: the
 * contour segments and the polygons of the region >= level, cell by cell (saddles resolved by
 * the cell-centre mean, the same way for both).
 */
export function marchingSquares(grid: Float64Array, nx: number, ny: number, level: number): { segments: [Pt, Pt][]; polygons: Pt[][] } {
  const segments: [Pt, Pt][] = [];
  const polygons: Pt[][] = [];
  const v = (i: number, j: number) => grid[j * nx + i];
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      // corners counter-clockwise: (i,j), (i+1,j), (i+1,j+1), (i,j+1)
      const cs: Pt[] = [
        [i, j],
        [i + 1, j],
        [i + 1, j + 1],
        [i, j + 1],
      ];
      const vals = cs.map(([a, b]) => v(a, b));
      const inside = vals.map((x) => x >= level);
      const count = inside.filter(Boolean).length;
      if (count === 0) continue;
      if (count === 4) {
        polygons.push(cs);
        continue;
      }
      const cross = (k: number): Pt => {
        const l = (k + 1) % 4;
        const t = (level - vals[k]) / (vals[l] - vals[k]);
        return [cs[k][0] + t * (cs[l][0] - cs[k][0]), cs[k][1] + t * (cs[l][1] - cs[k][1])];
      };
      const saddle = count === 2 && inside[0] === inside[2];
      const centreIn = vals.reduce((a, b) => a + b, 0) / 4 >= level;
      if (saddle && !centreIn) {
        // two separate corners inside: a triangle each
        for (let k = 0; k < 4; k++) {
          if (!inside[k]) continue;
          const prev = (k + 3) % 4;
          polygons.push([cross(prev), cs[k], cross(k)]);
          segments.push([cross(prev), cross(k)]);
        }
        continue;
      }
      const poly: Pt[] = [];
      const crossings: Pt[] = [];
      for (let k = 0; k < 4; k++) {
        if (inside[k]) poly.push(cs[k]);
        if (inside[k] !== inside[(k + 1) % 4]) {
          const p = cross(k);
          poly.push(p);
          crossings.push(p);
        }
      }
      polygons.push(poly);
      if (crossings.length === 2) {
        segments.push([crossings[0], crossings[1]]);
      } else if (crossings.length === 4) {
        // a connected saddle: the lines cut off the two outside corners
        for (let k = 0; k < 4; k++) {
          if (inside[k]) continue;
          segments.push([cross((k + 3) % 4), cross(k)]);
        }
      }
    }
  }
  return { segments, polygons };
}
