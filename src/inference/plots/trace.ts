/**
 * Trace plots as SVG text: one row per parameter, each chain's draws against iteration in its
 * own colour (long chains thinned to at most 1500 points per line for the figure only).
 */
import { CHAIN_COLOURS, esc, latexTspans, niceTicks, svgOpen, tickLabels } from './svg';

export interface TraceParameter {
  name: string;
  latex?: string;
  /** one array per chain */
  chains: ArrayLike<number>[];
}

export function traceSvg(params: TraceParameter[], opts: { width?: number; rowHeight?: number; title?: string; chainNumbers?: number[] } = {}): string {
  const Wp = opts.width ?? 760;
  const Hp = opts.rowHeight ?? 90;
  const gap = 14;
  const left = 110;
  const top = opts.title ? 46 : 26;
  const bottom = 34;
  const W = left + Wp + 16;
  const H = top + params.length * (Hp + gap) - gap + bottom;
  const f = (v: number) => v.toFixed(1);
  let s = svgOpen(W, H);
  if (opts.title) s += `<text x="${left}" y="18" font-size="14">${esc(opts.title)}</text>\n`;
  const nChains = params[0]?.chains.length ?? 0;
  const numbers = opts.chainNumbers ?? Array.from({ length: nChains }, (_, i) => i + 1);
  // legend
  numbers.forEach((c, k) => {
    const x = left + k * 70;
    s += `<line x1="${x}" x2="${x + 18}" y1="${top - 10}" y2="${top - 10}" stroke="${CHAIN_COLOURS[k % CHAIN_COLOURS.length]}" stroke-width="2"/><text x="${x + 22}" y="${top - 6}" font-size="10">chain ${c}</text>\n`;
  });
  const nDraws = Math.max(1, ...params.flatMap((p) => p.chains.map((c) => c.length)));
  params.forEach((p, r) => {
    const Y = top + r * (Hp + gap);
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of p.chains) for (let i = 0; i < c.length; i++) if (Number.isFinite(c[i])) (lo = Math.min(lo, c[i])), (hi = Math.max(hi, c[i]));
    if (!(hi > lo)) (lo -= 1), (hi += 1);
    const pad = 0.05 * (hi - lo);
    lo -= pad;
    hi += pad;
    const sx = (i: number) => left + (i / Math.max(1, nDraws - 1)) * Wp;
    const sy = (v: number) => Y + Hp - ((v - lo) / (hi - lo)) * Hp;
    p.chains.forEach((c, k) => {
      const step = Math.max(1, Math.ceil(c.length / 1500));
      const pts: string[] = [];
      for (let i = 0; i < c.length; i += step) if (Number.isFinite(c[i])) pts.push(`${f(sx(i))},${f(sy(c[i]))}`);
      s += `<polyline fill="none" stroke="${CHAIN_COLOURS[k % CHAIN_COLOURS.length]}" stroke-width="0.7" stroke-opacity="0.8" points="${pts.join(' ')}"/>\n`;
    });
    s += `<rect x="${left}" y="${Y}" width="${Wp}" height="${Hp}" fill="none" stroke="#444" stroke-width="0.8"/>\n`;
    const yt = niceTicks(lo, hi, 3);
    tickLabels(yt).forEach((l, k) => {
      const ty = f(sy(yt[k]));
      s += `<line x1="${left}" x2="${left + 4}" y1="${ty}" y2="${ty}" stroke="#444"/><text x="${left - 4}" y="${ty}" text-anchor="end" dominant-baseline="middle" font-size="9">${esc(l)}</text>\n`;
    });
    s += `<text x="12" y="${Y + Hp / 2}" dominant-baseline="middle" font-size="13">${latexTspans(p.latex ?? p.name, 13)}</text>\n`;
  });
  const xt = niceTicks(0, nDraws - 1, 6);
  const yb = top + params.length * (Hp + gap) - gap;
  tickLabels(xt).forEach((l, k) => {
    const tx = f(left + (xt[k] / Math.max(1, nDraws - 1)) * Wp);
    s += `<line x1="${tx}" x2="${tx}" y1="${yb}" y2="${yb - 4}" stroke="#444"/><text x="${tx}" y="${yb + 13}" text-anchor="middle" font-size="9">${esc(l)}</text>\n`;
  });
  s += `<text x="${left + Wp / 2}" y="${H - 6}" text-anchor="middle" font-size="11">draw (after warm-up)</text>\n`;
  return s + '</svg>\n';
}
