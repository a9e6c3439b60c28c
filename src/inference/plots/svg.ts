/**
 * Small SVG helpers for the sampler's figures (written as text: no plotting library, so the
 * figures work anywhere, in a browser too): escaping, "nice" axis ticks and their labels, and
 * LaTeX labels (Greek letters, sub- and superscripts, \mathrm) as SVG text.
 */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** ticks at 1, 2 or 5 times a power of ten inside [lo, hi], the spacing whose count is nearest `target` (at least 2 when possible) */
export function niceTicks(lo: number, hi: number, target = 4): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const p = Math.pow(10, Math.floor(Math.log10((hi - lo) / target)));
  const count = (step: number) => Math.floor(hi / step + 1e-9) - Math.ceil(lo / step - 1e-9) + 1;
  const steps = [0.5, 1, 2, 5, 10, 20].map((m) => m * p);
  const ok = steps.filter((st) => count(st) >= 2);
  const step = (ok.length ? ok : steps).reduce((a, b) => (Math.abs(count(b) - target) < Math.abs(count(a) - target) ? b : a));
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) out.push(k === 0 ? 0 : k * step);
  return out;
}

/** tick labels with as many decimals as the spacing needs (exponent notation for very large or small values) */
export function tickLabels(ticks: number[]): string[] {
  if (ticks.length < 2) return ticks.map((t) => String(Number(t.toPrecision(4))));
  const step = Math.abs(ticks[1] - ticks[0]);
  const big = Math.max(...ticks.map(Math.abs));
  if (big >= 1e5 || big < 1e-3) {
    const digits = Math.max(0, Math.ceil(Math.log10(big / step) - 1e-9));
    return ticks.map((t) => (t === 0 ? '0' : t.toExponential(digits)));
  }
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return ticks.map((t) => t.toFixed(decimals));
}

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν',
  xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ',
  Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', ell: 'ℓ', times: '×', cdot: '·', pm: '±', infty: '∞', ln: 'ln\u2009', log: 'log\u2009', exp: 'exp\u2009',
};

interface Piece {
  text: string;
  level: number; // 0 normal, -1 subscript, +1 superscript
}

/** LaTeX (without $) to pieces of text at baseline levels */
function parseLatex(src: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  const readGroup = (): string => {
    // after _ or ^: a {group} or one token
    if (src[i] === '{') {
      let depth = 0;
      const start = i;
      for (; i < src.length; i++) {
        if (src[i] === '{') depth++;
        else if (src[i] === '}' && --depth === 0) break;
      }
      i++;
      return src.slice(start + 1, i - 1);
    }
    if (src[i] === '\\') {
      const m = /^\\[A-Za-z]+\s*/.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        // a font command takes its group along: _\mathrm{m}
        if (/^\\(mathrm|rm|mathit|it|text|mathbf|bf)\s*$/.test(m[0]) && src[i] === '{') return m[0] + readGroup();
        return m[0];
      }
    }
    return src[i++] ?? '';
  };
  const plain = (s: string): string =>
    s
      .replace(/\\(mathrm|rm|mathit|it|text|mathbf|bf)\s*/g, '')
      .replace(/\\([A-Za-z]+)/g, (_, name: string) => GREEK[name] ?? name)
      .replace(/\\[,;! ]/g, ' ')
      .replace(/[{}]/g, '');
  let buf = '';
  const push = (text: string, level: number) => {
    if (text) pieces.push({ text, level });
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '_' || c === '^') {
      push(plain(buf), 0);
      buf = '';
      i++;
      const g = readGroup();
      push(plain(g.replace(/[_^]/g, '')), c === '_' ? -1 : 1);
    } else {
      buf += c;
      i++;
    }
  }
  push(plain(buf), 0);
  return pieces;
}

/** SVG <text> content (tspans) for a LaTeX label at font size `size` */
export function latexTspans(latex: string, size: number): string {
  let level = 0;
  let out = '';
  for (const p of parseLatex(latex)) {
    const target = p.level * 0.35 * size;
    const dy = -(target - level); // SVG y grows downwards
    level = target;
    const fs = p.level === 0 ? '' : ` font-size="${(0.72 * size).toFixed(1)}"`;
    out += `<tspan${dy ? ` dy="${dy.toFixed(1)}"` : ''}${fs}>${esc(p.text)}</tspan>`;
  }
  return out;
}

export const CHAIN_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** the opening of a standalone SVG document with a white background */
export function svgOpen(width: number, height: number, fontSize = 11): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="${fontSize}">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n`
  );
}
