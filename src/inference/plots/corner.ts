/**
 * A corner plot as SVG text: on the diagonal each parameter's 1D marginal (smoothed histogram,
 * peak 1), below it the 2D marginals with the regions holding 68% and 95% of the mass filled
 * and outlined (./density.ts); optional reference values (e.g. a mock's truth) as dashed lines.
 */
import { axisFor, density1d, density2d, marchingSquares, massLevels, type Axis } from './density';
import { esc, latexTspans, niceTicks, svgOpen, tickLabels } from './svg';

export interface CornerParameter {
  name: string;
  latex?: string;
  /** pooled draws of every chain */
  draws: ArrayLike<number>;
  lower?: number;
  upper?: number;
}

export interface CornerOptions {
  /** panel size in pixels (default 140) */
  panel?: number;
  title?: string;
  /** reference values by parameter name, drawn as dashed lines */
  markers?: Record<string, number>;
}

const FILL = ['#a9c9e8', '#3d7dbf']; // 95%, 68%
const LINE = '#1b4f82';

export function cornerSvg(params: CornerParameter[], opts: CornerOptions = {}): string {
  const n = params.length;
  const P = opts.panel ?? 140;
  const gap = 6;
  const left = 70;
  const top = opts.title ? 34 : 12;
  const bottom = 62;
  const right = 12;
  const W = left + n * P + (n - 1) * gap + right;
  const H = top + n * P + (n - 1) * gap + bottom;
  const axes: Axis[] = params.map((p) => axisFor(p.draws, p.lower, p.upper));
  const x0 = (j: number) => left + j * (P + gap);
  const y0 = (i: number) => top + i * (P + gap);
  const sx = (j: number, v: number) => x0(j) + ((v - axes[j].lo) / (axes[j].hi - axes[j].lo)) * P;
  const sy = (i: number, v: number) => y0(i) + P - ((v - axes[i].lo) / (axes[i].hi - axes[i].lo)) * P;
  let s = svgOpen(W, H);
  if (opts.title) s += `<text x="${left}" y="20" font-size="14">${esc(opts.title)}</text>\n`;
  const f = (v: number) => v.toFixed(1);

  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const X = x0(j);
      const Y = y0(i);
      s += `<g>\n<clipPath id="c${i}_${j}"><rect x="${X}" y="${Y}" width="${P}" height="${P}"/></clipPath>\n<g clip-path="url(#c${i}_${j})">\n`;
      if (i === j) {
        const { centres, density } = density1d(params[i].draws, axes[i]);
        const pts = Array.from(centres, (c, k) => `${f(sx(i, c))},${f(Y + P - 0.92 * P * density[k])}`);
        s += `<polyline fill="none" stroke="${LINE}" stroke-width="1.6" points="${pts.join(' ')}"/>\n`;
      } else {
        const bins = 60;
        const grid = density2d(params[j].draws, params[i].draws, axes[j], axes[i], bins);
        const levels = massLevels(grid, [0.95, 0.68]);
        const wx = (axes[j].hi - axes[j].lo) / bins;
        const wy = (axes[i].hi - axes[i].lo) / bins;
        const px = (gx: number) => f(sx(j, axes[j].lo + (gx + 0.5) * wx));
        const py = (gy: number) => f(sy(i, axes[i].lo + (gy + 0.5) * wy));
        levels.forEach((level, k) => {
          const { segments, polygons } = marchingSquares(grid, bins, bins, level);
          const fill = polygons.map((poly) => `M${poly.map(([a, b]) => `${px(a)} ${py(b)}`).join('L')}Z`).join('');
          s += `<path d="${fill}" fill="${FILL[k]}" stroke="${FILL[k]}" stroke-width="0.6"/>\n`;
          const line = segments.map(([[a, b], [c, d]]) => `M${px(a)} ${py(b)}L${px(c)} ${py(d)}`).join('');
          s += `<path d="${line}" fill="none" stroke="${LINE}" stroke-width="1" stroke-linecap="round"/>\n`;
        });
      }
      const mx = opts.markers?.[params[j].name];
      if (mx !== undefined) s += `<line x1="${f(sx(j, mx))}" x2="${f(sx(j, mx))}" y1="${Y}" y2="${Y + P}" stroke="#c0392b" stroke-dasharray="4 3" stroke-width="1"/>\n`;
      const my = opts.markers?.[params[i].name];
      if (i !== j && my !== undefined) s += `<line x1="${X}" x2="${X + P}" y1="${f(sy(i, my))}" y2="${f(sy(i, my))}" stroke="#c0392b" stroke-dasharray="4 3" stroke-width="1"/>\n`;
      s += `</g>\n<rect x="${X}" y="${Y}" width="${P}" height="${P}" fill="none" stroke="#444" stroke-width="0.8"/>\n`;
      // ticks: x on every panel's bottom edge, labels on the bottom row; y labels on the first column (2D panels)
      const xt = niceTicks(axes[j].lo, axes[j].hi, 3);
      const xl = tickLabels(xt);
      xt.forEach((t, k) => {
        const tx = f(sx(j, t));
        s += `<line x1="${tx}" x2="${tx}" y1="${Y + P}" y2="${Y + P - 4}" stroke="#444"/>\n`;
        if (i === n - 1) s += `<text x="${tx}" y="${Y + P + 13}" text-anchor="middle" font-size="9" transform="rotate(-35 ${tx} ${Y + P + 13})">${esc(xl[k])}</text>\n`;
      });
      if (i !== j) {
        const yt = niceTicks(axes[i].lo, axes[i].hi, 3);
        const yl = tickLabels(yt);
        yt.forEach((t, k) => {
          const ty = f(sy(i, t));
          s += `<line x1="${X}" x2="${X + 4}" y1="${ty}" y2="${ty}" stroke="#444"/>\n`;
          if (j === 0) s += `<text x="${X - 4}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="9">${esc(yl[k])}</text>\n`;
        });
      }
      s += `</g>\n`;
    }
    // axis labels
    const label = latexTspans(params[i].latex ?? params[i].name, 13);
    s += `<text x="${x0(i) + P / 2}" y="${H - 12}" text-anchor="middle" font-size="13">${label}</text>\n`;
    if (i > 0) s += `<text transform="translate(16 ${y0(i) + P / 2}) rotate(-90)" text-anchor="middle" font-size="13">${label}</text>\n`;
  }
  return s + '</svg>\n';
}
