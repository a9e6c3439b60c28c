/**
 * Marginal densities from draws for the corner plot: histograms on a regular grid smoothed by
 * a Gaussian kernel (in 1D Silverman's bandwidth 0.9 min(sd, IQR/1.34) n^(-1/5); in 2D an
 * elliptical kernel, Scott's n^(-1/6) times the draws' covariance), reflected at a prior bound that lies in
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

/**
 * Smoothed 2D density, grid[iy * bins + ix], normalised to unit sum. The kernel is elliptical,
 * h^2 times the draws' covariance with Scott's h = n^(-1/6) (an isotropic kernel would widen a
 * strongly correlated pair across its narrow direction), reflected at prior bounds.
 */
export function density2d(x: ArrayLike<number>, y: ArrayLike<number>, ax: Axis, ay: Axis, bins = 60): Float64Array {
  const g = new Float64Array(bins * bins);
  const wx = (ax.hi - ax.lo) / bins;
  const wy = (ay.hi - ay.lo) / bins;
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
    const bx = Math.floor((x[i] - ax.lo) / wx);
    const by = Math.floor((y[i] - ay.lo) / wy);
    if (bx >= 0 && bx < bins && by >= 0 && by < bins) g[by * bins + bx]++;
  }
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  for (let i = 0; i < n; i++) {
    cxx += (x[i] - mx) ** 2;
    cyy += (y[i] - my) ** 2;
    cxy += (x[i] - mx) * (y[i] - my);
  }
  // the kernel covariance in bin units, at least half a bin wide in each direction
  const h2 = Math.pow(n, -1 / 3);
  let kxx = (h2 * cxx) / (n - 1) / (wx * wx);
  let kyy = (h2 * cyy) / (n - 1) / (wy * wy);
  let kxy = (h2 * cxy) / (n - 1) / (wx * wy);
  const floor = 0.25;
  if (!(kxx >= floor)) (kxy *= Math.sqrt(floor / Math.max(kxx, 1e-300))), (kxx = floor);
  if (!(kyy >= floor)) (kxy *= Math.sqrt(floor / Math.max(kyy, 1e-300))), (kyy = floor);
  // a (nearly) deterministic pair, e.g. H0 = 100 h: keep the kernel an ellipse (|correlation| <= 0.98)
  const rmax = 0.98 * Math.sqrt(kxx * kyy);
  if (Math.abs(kxy) > rmax) kxy = Math.sign(kxy) * rmax;
  const det = kxx * kyy - kxy * kxy;
  const ixx = kyy / det;
  const iyy = kxx / det;
  const ixy = -kxy / det;
  const rx = Math.ceil(4 * Math.sqrt(kxx));
  const ry = Math.ceil(4 * Math.sqrt(kyy));
  const kern = new Float64Array((2 * rx + 1) * (2 * ry + 1));
  for (let dy = -ry; dy <= ry; dy++) for (let dx = -rx; dx <= rx; dx++) kern[(dy + ry) * (2 * rx + 1) + dx + rx] = Math.exp(-0.5 * (ixx * dx * dx + 2 * ixy * dx * dy + iyy * dy * dy));
  const reflect = (j: number, lo: boolean, hi: boolean): number => {
    if (j < 0) return lo ? -1 - j : -1;
    if (j >= bins) return hi ? 2 * bins - 1 - j : -1;
    return j;
  };
  const out = new Float64Array(bins * bins);
  for (let by = 0; by < bins; by++) {
    for (let bx = 0; bx < bins; bx++) {
      const c = g[by * bins + bx];
      if (c === 0) continue;
      for (let dy = -ry; dy <= ry; dy++) {
        const ty = reflect(by + dy, ay.reflectLo, ay.reflectHi);
        if (ty < 0 || ty >= bins) continue;
        for (let dx = -rx; dx <= rx; dx++) {
          const tx = reflect(bx + dx, ax.reflectLo, ax.reflectHi);
          if (tx < 0 || tx >= bins) continue;
          out[ty * bins + tx] += c * kern[(dy + ry) * (2 * rx + 1) + dx + rx];
        }
      }
    }
  }
  const total = out.reduce((a, b) => a + b, 0);
  return total > 0 ? out.map((v) => v / total) : out;
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
