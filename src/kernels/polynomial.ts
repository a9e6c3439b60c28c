/**
 * Polynomials in the FFTLog exponents and the growth rate, written as text the way the kernel
 * formulas read in CLASS-PT and its papers, expanded exactly, and evaluated per power of f.
 *
 * CLASS-PT's redshift-space kernels are a Gamma-function matrix (M22 or M13) times a polynomial
 * in nu1, nu2 (or nu) and f. Expanding the polynomial in powers of f gives one f-independent
 * matrix per power, built once in the plan, so a batch of cosmologies with different f shares
 * them and d/df is exact.
 *
 * Grammar: numbers, the variables `n1`, `n2`, `nu`, `f`, `+ - * /` (division by constants
 * only), `^` with a non-negative integer exponent, and parentheses.
 */

/** A monomial key "a,b,c,p" for n1^a n2^b nu^c f^p, mapped to its coefficient. */
export type Poly = Map<string, number>;

const VARS = ['n1', 'n2', 'nu', 'f'] as const;

function key(e: number[]): string {
  return e.join(',');
}

function constant(c: number): Poly {
  return new Map([[key([0, 0, 0, 0]), c]]);
}

function variable(name: string): Poly {
  const e = [0, 0, 0, 0];
  e[VARS.indexOf(name as (typeof VARS)[number])] = 1;
  return new Map([[key(e), 1]]);
}

function add(a: Poly, b: Poly, sign = 1): Poly {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? 0) + sign * v);
  return out;
}

function mul(a: Poly, b: Poly): Poly {
  const out: Poly = new Map();
  for (const [ka, va] of a) {
    const ea = ka.split(',').map(Number);
    for (const [kb, vb] of b) {
      const eb = kb.split(',').map(Number);
      const k = key(ea.map((x, i) => x + eb[i]));
      out.set(k, (out.get(k) ?? 0) + va * vb);
    }
  }
  return out;
}

function asConstant(p: Poly): number | undefined {
  let c = 0;
  for (const [k, v] of p) {
    if (v === 0) continue;
    if (k !== '0,0,0,0') return undefined;
    c = v;
  }
  return c;
}

/** Parses and expands a polynomial expression. */
export function parsePoly(text: string): Poly {
  const tokens = text.match(/\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+|n1|n2|nu|f|[-+*/^()]/g) ?? [];
  const stripped = text.replace(/\s+/g, '');
  if (tokens.join('') !== stripped) throw new SyntaxError(`polynomial: cannot tokenise '${text}'`);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  function expr(): Poly {
    let p = term();
    while (peek() === '+' || peek() === '-') {
      const op = next();
      p = add(p, term(), op === '+' ? 1 : -1);
    }
    return p;
  }
  function term(): Poly {
    let p = factor();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      const q = factor();
      if (op === '*') p = mul(p, q);
      else {
        const c = asConstant(q);
        if (c === undefined || c === 0) throw new SyntaxError(`polynomial: division by a non-constant in '${text}'`);
        p = mul(p, constant(1 / c));
      }
    }
    return p;
  }
  function factor(): Poly {
    if (peek() === '-') {
      next();
      return mul(constant(-1), factor());
    }
    if (peek() === '+') {
      next();
      return factor();
    }
    let base = primary();
    if (peek() === '^') {
      next();
      const e = Number(next());
      if (!Number.isInteger(e) || e < 0) throw new SyntaxError(`polynomial: bad exponent in '${text}'`);
      let out = constant(1);
      for (let i = 0; i < e; i++) out = mul(out, base);
      base = out;
    }
    return base;
  }
  function primary(): Poly {
    const t = next();
    if (t === undefined) throw new SyntaxError(`polynomial: unexpected end of '${text}'`);
    if (t === '(') {
      const p = expr();
      if (next() !== ')') throw new SyntaxError(`polynomial: missing ')' in '${text}'`);
      return p;
    }
    if ((VARS as readonly string[]).includes(t)) return variable(t);
    const v = Number(t);
    if (!Number.isFinite(v)) throw new SyntaxError(`polynomial: unexpected '${t}' in '${text}'`);
    return constant(v);
  }

  const p = expr();
  if (pos !== tokens.length) throw new SyntaxError(`polynomial: trailing input in '${text}'`);
  return p;
}

/** Highest power of f in a polynomial. */
export function fDegree(p: Poly): number {
  let d = 0;
  for (const [k, v] of p) if (v !== 0) d = Math.max(d, Number(k.split(',')[3]));
  return d;
}

/** A polynomial compiled per power of f: monomials [coef, a, b, c] of n1^a n2^b nu^c. */
export type CompiledPoly = [number, number, number, number][][];

export function compilePoly(p: Poly): CompiledPoly {
  const out: CompiledPoly = Array.from({ length: fDegree(p) + 1 }, () => []);
  for (const [k, c] of p) {
    if (c === 0) continue;
    const [a, b, d, q] = k.split(',').map(Number);
    out[q].push([c, a, b, d]);
  }
  return out;
}

/** Largest exponent of each of n1, n2, nu in a compiled polynomial. */
export function maxExponent(p: CompiledPoly): number {
  let m = 0;
  for (const terms of p) for (const [, a, b, d] of terms) m = Math.max(m, a, b, d);
  return m;
}

/**
 * Evaluates the coefficient of f^power at complex (n1, n2, nu): returns [re, im].
 * `pw` holds precomputed complex powers: pw.n1[a] = n1^a etc. (see ./complexPowers).
 */
export function evalFPower(
  p: CompiledPoly,
  power: number,
  pw: { n1: [number, number][]; n2: [number, number][]; nu: [number, number][] },
): [number, number] {
  let re = 0;
  let im = 0;
  for (const [c, a, b, d] of p[power] ?? []) {
    const [ar, ai] = pw.n1[a];
    const [br, bi] = pw.n2[b];
    const [dr, di] = pw.nu[d];
    const xr = ar * br - ai * bi;
    const xi = ar * bi + ai * br;
    re += c * (xr * dr - xi * di);
    im += c * (xr * di + xi * dr);
  }
  return [re, im];
}

/** Complex powers z^0 .. z^maxPower of z = (re, im). */
export function complexPowers(re: number, im: number, maxPower: number): [number, number][] {
  const out: [number, number][] = [[1, 0]];
  for (let i = 1; i <= maxPower; i++) {
    const [pr, pi] = out[i - 1];
    out.push([pr * re - pi * im, pr * im + pi * re]);
  }
  return out;
}
