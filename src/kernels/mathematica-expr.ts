/**
 * A small parser and fast complex evaluator for the Mathematica expressions in which CLASS-PT
 * stores its fNL kernels (`*.txt` next to its `matrix_gen-*.py` generators, which read them with
 * sympy's `mathematica()`), e.g. `-1/140*(Csc[n1*Pi]*Csc[n2*Pi]*((-120 + 145*n2 + ...)*Sin[2*n1*Pi] ...))`.
 *
 * Grammar (Mathematica's precedences): numbers (`12`, `1.5`, `.5`, `1.5*^-3`, a trailing precision
 * mark `` `20 `` is ignored), variables (names given by the caller), the constants `Pi`, `E`, `I`,
 * function calls `Name[arg]` for Sin Cos Tan Cot Csc Sec Sinh Cosh Exp Log Sqrt Gamma, parentheses,
 * `^` (right-associative, binds tighter than unary minus: `-x^2` = -(x^2), `x^-2` allowed),
 * unary `-`/`+`, `*` and `/` (left-associative; juxtaposition `2 x`, `2(x+1)`, `x y` also multiplies),
 * binary `+`/`-`.
 *
 * The text is parsed once into a DAG (structurally equal subtrees are shared) with constants folded
 * in double-double, then compiled either to a closure tree (`compileScalar`, one point at a time) or,
 * for matrices on a grid, to a list of array kernels (`compileGrid`): subtrees that depend on the
 * column variable only are evaluated once per grid, those that depend on the row variable only once
 * per row, and the remaining nodes as loops over a whole row. Nothing is interpreted per entry.
 *
 * Polynomials: every maximal polynomial subtree (+ - *, non-negative integer powers, division by
 * constants) is expanded into monomials with double-double coefficients and evaluated in
 * double-double (per row: Horner in the row variable; per entry: Horner in the column variable),
 * then rounded to float64. CLASS-PT's orthogonal-template polynomials (degree ~10, coefficients
 * like 50176 (20 Pi^2 - 193)) cancel by up to ~1e7-1e9 on the FFTLog grid, e.g. near nu1 = -nu2, and
 * lose that many digits in float64.
 *
 * Overflow: at N = 512 the FFTLog exponents reach |Im nu| ~ 55, so Sin[2 (nu1 + nu2) Pi] ~ e^695 and
 * Csc[nu1 Pi] Csc[nu2 Pi] Csc[(nu1+nu2) Pi] ~ e^-695, at the edge of float64's range, and a product
 * with a large polynomial overflows. Values are therefore carried as mantissa x e^s (s real): the
 * trigonometric functions return their e^{|Im z|} growth in s, products add the s, sums align them,
 * and e^s is applied once at the end. Nodes without a trigonometric/exponential descendant carry no s.
 */
import { lnGamma, type Complex } from '../numerics/complex';
import {
  DD_E,
  DD_PI,
  DDC_ONE,
  SPLITTER,
  ddc,
  ddcAdd,
  ddcDiv,
  ddcIpow,
  ddcIsZero,
  ddcMul,
  ddcNeg,
  ddcSub,
  type DDComplex,
} from '../numerics/double-double';

export const EXPR_FUNCTIONS = [
  'Sin',
  'Cos',
  'Tan',
  'Cot',
  'Csc',
  'Sec',
  'Sinh',
  'Cosh',
  'Exp',
  'Log',
  'Sqrt',
  'Gamma',
] as const;
export type ExprFunction = (typeof EXPR_FUNCTIONS)[number];

/** functions whose values can grow or shrink exponentially (their results carry a scale) */
const SCALING_FUNCTIONS: ReadonlySet<ExprFunction> = new Set(['Sin', 'Cos', 'Csc', 'Sec', 'Sinh', 'Cosh', 'Exp', 'Gamma']);

interface NodeBase {
  /** unique within its expression; children always have smaller ids */
  readonly id: number;
  /** bit v set if the node depends on variable v */
  readonly deps: number;
  /** true if the value may carry an exponential scale (see module doc) */
  readonly scaled: boolean;
  /** true for a polynomial in the variables (+ - * ^n with n >= 0, division by constants) */
  readonly poly: boolean;
}
export type ExprNode = NodeBase &
  (
    | { readonly kind: 'num'; readonly re: number; readonly im: number; readonly value: DDComplex }
    | { readonly kind: 'var'; readonly index: number }
    | { readonly kind: 'add' | 'sub' | 'mul' | 'div' | 'pow'; readonly a: ExprNode; readonly b: ExprNode }
    | { readonly kind: 'neg'; readonly a: ExprNode }
    | { readonly kind: 'ipow'; readonly a: ExprNode; readonly p: number }
    | { readonly kind: 'call'; readonly fn: ExprFunction; readonly a: ExprNode }
  );

export interface ParsedExpression {
  readonly variables: readonly string[];
  readonly root: ExprNode;
  /** every distinct node, children before parents */
  readonly nodes: readonly ExprNode[];
}

/** value = (re + i im) e^s */
interface Scaled {
  re: number;
  im: number;
  s: number;
}

// ---------------------------------------------------------------- scaled scalar arithmetic

function sAdd(a: Scaled, b: Scaled, sign: number): Scaled {
  if (a.s === b.s) return { re: a.re + sign * b.re, im: a.im + sign * b.im, s: a.s };
  if (a.s > b.s) {
    const f = sign * Math.exp(b.s - a.s);
    return { re: a.re + f * b.re, im: a.im + f * b.im, s: a.s };
  }
  const f = Math.exp(a.s - b.s);
  return { re: f * a.re + sign * b.re, im: f * a.im + sign * b.im, s: b.s };
}

function sMul(a: Scaled, b: Scaled): Scaled {
  return { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re, s: a.s + b.s };
}

/** Smith's complex division of the mantissas */
function sDiv(a: Scaled, b: Scaled): Scaled {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d, s: a.s - b.s };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d, s: a.s - b.s };
}

function sIpow(a: Scaled, p: number): Scaled {
  let n = Math.abs(p);
  let rr = 1;
  let ri = 0;
  let br = a.re;
  let bi = a.im;
  while (n > 0) {
    if (n & 1) {
      const t = rr * br - ri * bi;
      ri = rr * bi + ri * br;
      rr = t;
    }
    n >>= 1;
    if (n > 0) {
      const t = br * br - bi * bi;
      bi = 2 * br * bi;
      br = t;
    }
  }
  const r = { re: rr, im: ri, s: a.s * Math.abs(p) };
  return p < 0 ? sDiv({ re: 1, im: 0, s: 0 }, r) : r;
}

/** principal log of a scaled value, as a plain complex number */
function sLog(a: Scaled): Complex {
  return { re: Math.log(Math.hypot(a.re, a.im)) + a.s, im: Math.atan2(a.im, a.re) };
}

/** e^w as a scaled value */
function sExpOf(wr: number, wi: number): Scaled {
  return { re: Math.cos(wi), im: Math.sin(wi), s: wr };
}

function sPow(a: Scaled, b: Scaled): Scaled {
  if (a.re === 0 && a.im === 0) {
    const br = b.re * Math.exp(b.s);
    return { re: br > 0 ? 0 : br === 0 ? 1 : Infinity, im: 0, s: 0 };
  }
  const l = sLog(a);
  const e = Math.exp(b.s);
  const br = b.re * e;
  const bi = b.im * e;
  return sExpOf(br * l.re - bi * l.im, br * l.im + bi * l.re);
}

function unscale(a: Scaled): Complex {
  if (a.s === 0) return { re: a.re, im: a.im };
  const e = Math.exp(a.s);
  return { re: a.re * e, im: a.im * e };
}

/**
 * f(x + iy) for the scaling functions and the bounded ones, with the e^{|y|} growth of sin/cos in s.
 * sin(x+iy) = sin x cosh y + i cos x sinh y = e^{|y|} [sin x (1+e)/2 + i sgn(y) cos x (1-e)/2], e = e^{-2|y|}.
 */
function sCall(fn: ExprFunction, arg: Scaled): Scaled {
  const z = unscale(arg);
  switch (fn) {
    case 'Sin':
    case 'Cos':
    case 'Csc':
    case 'Sec':
    case 'Tan':
    case 'Cot':
    case 'Sinh':
    case 'Cosh': {
      // sinh z = -i sin(iz), cosh z = cos(iz)
      const x = fn === 'Sinh' || fn === 'Cosh' ? -z.im : z.re;
      const y = fn === 'Sinh' || fn === 'Cosh' ? z.re : z.im;
      const ay = Math.abs(y);
      const e = Math.exp(-2 * ay);
      const ch = 0.5 * (1 + e);
      const sh = (y < 0 ? -0.5 : 0.5) * (1 - e);
      const sx = Math.sin(x);
      const cx = Math.cos(x);
      const sin: Scaled = { re: sx * ch, im: cx * sh, s: ay };
      const cos: Scaled = { re: cx * ch, im: -sx * sh, s: ay };
      const one: Scaled = { re: 1, im: 0, s: 0 };
      switch (fn) {
        case 'Sin':
          return sin;
        case 'Cos':
        case 'Cosh':
          return cos;
        case 'Csc':
          return sDiv(one, sin);
        case 'Sec':
          return sDiv(one, cos);
        case 'Tan':
          return sDiv(sin, cos);
        case 'Cot':
          return sDiv(cos, sin);
        case 'Sinh':
          return { re: sin.im, im: -sin.re, s: ay };
      }
      throw new Error('unreachable');
    }
    case 'Exp':
      return sExpOf(z.re, z.im);
    case 'Log': {
      const l = sLog(arg);
      return { re: l.re, im: l.im, s: 0 };
    }
    case 'Sqrt': {
      // principal sqrt of the mantissa; e^{s/2} is real and positive
      const r = Math.hypot(arg.re, arg.im);
      let sr = Math.sqrt(0.5 * (r + Math.abs(arg.re)));
      let si = sr === 0 ? 0 : arg.im / (2 * sr);
      if (arg.re < 0) {
        const t = sr;
        sr = Math.abs(si);
        si = arg.im < 0 ? -t : t;
      }
      return { re: sr, im: si, s: arg.s / 2 };
    }
    case 'Gamma': {
      const w = lnGamma(z);
      if (w.re === Infinity) return { re: Infinity, im: 0, s: 0 };
      return sExpOf(w.re, w.im);
    }
  }
}

// ---------------------------------------------------------------- DAG construction

const isSmallInt = (n: ExprNode): n is ExprNode & { kind: 'num' } =>
  n.kind === 'num' && n.im === 0 && n.value.rl === 0 && n.value.il === 0 && Number.isInteger(n.re) && Math.abs(n.re) <= 64;

class Builder {
  readonly nodes: ExprNode[] = [];
  private readonly table = new Map<string, ExprNode>();

  private intern(key: string, make: (id: number) => ExprNode): ExprNode {
    const hit = this.table.get(key);
    if (hit) return hit;
    const node = make(this.nodes.length);
    this.nodes.push(node);
    this.table.set(key, node);
    return node;
  }

  /** a constant, kept to double-double precision */
  num(value: DDComplex): ExprNode {
    const key = `n:${value.rh}:${value.rl}:${value.ih}:${value.il}`;
    return this.intern(key, (id) => ({
      id,
      deps: 0,
      scaled: false,
      poly: true,
      kind: 'num',
      re: value.rh,
      im: value.ih,
      value,
    }));
  }

  numDouble(re: number, im = 0): ExprNode {
    return this.num({ rh: re, rl: 0, ih: im, il: 0 });
  }

  variable(index: number): ExprNode {
    return this.intern(`v:${index}`, (id) => ({ id, deps: 1 << index, scaled: false, poly: true, kind: 'var', index }));
  }

  binary(kind: 'add' | 'sub' | 'mul' | 'div' | 'pow', a: ExprNode, b: ExprNode): ExprNode {
    if (a.kind === 'num' && b.kind === 'num') {
      // constant folding in double-double (exact enough for coefficients like -14557 + 1470 Pi^2)
      switch (kind) {
        case 'add':
          return this.num(ddcAdd(a.value, b.value));
        case 'sub':
          return this.num(ddcSub(a.value, b.value));
        case 'mul':
          return this.num(ddcMul(a.value, b.value));
        case 'div':
          return this.num(ddcDiv(a.value, b.value));
        case 'pow': {
          if (isSmallInt(b)) return this.num(ddcIpow(a.value, b.re));
          const v = unscale(sPow({ re: a.re, im: a.im, s: 0 }, { re: b.re, im: b.im, s: 0 }));
          return this.numDouble(v.re, v.im);
        }
      }
    }
    if (kind === 'pow' && isSmallInt(b)) {
      const p = b.re;
      if (p === 1) return a;
      if (p === 0) return this.num(DDC_ONE);
      return this.intern(`ip:${a.id}:${p}`, (id) => ({
        id,
        deps: a.deps,
        scaled: a.scaled,
        poly: a.poly && p > 0,
        kind: 'ipow',
        a,
        p,
      }));
    }
    const scaled = a.scaled || b.scaled || kind === 'pow';
    const poly =
      (kind === 'add' || kind === 'sub' || kind === 'mul') ? a.poly && b.poly : kind === 'div' ? a.poly && b.kind === 'num' : false;
    return this.intern(`${kind}:${a.id}:${b.id}`, (id) => ({ id, deps: a.deps | b.deps, scaled, poly, kind, a, b }));
  }

  neg(a: ExprNode): ExprNode {
    if (a.kind === 'num') return this.num(ddcNeg(a.value));
    if (a.kind === 'neg') return a.a;
    return this.intern(`neg:${a.id}`, (id) => ({ id, deps: a.deps, scaled: a.scaled, poly: a.poly, kind: 'neg', a }));
  }

  call(fn: ExprFunction, a: ExprNode): ExprNode {
    if (a.kind === 'num') {
      const v = unscale(sCall(fn, { re: a.re, im: a.im, s: 0 }));
      return this.numDouble(v.re, v.im);
    }
    const scaled = SCALING_FUNCTIONS.has(fn) || (fn === 'Sqrt' && a.scaled);
    return this.intern(`c:${fn}:${a.id}`, (id) => ({ id, deps: a.deps, scaled, poly: false, kind: 'call', fn, a }));
  }
}

// ---------------------------------------------------------------- tokenizer and parser

type Token =
  | { type: 'num'; value: number; pos: number }
  | { type: 'id'; name: string; pos: number }
  | { type: 'op'; op: string; pos: number }
  | { type: 'end'; pos: number };

const NUMBER_RE = /(\d+\.?\d*|\.\d+)(`[\d.]*)?(\*\^([+-]?\d+))?/y;
const NAME_RE = /[A-Za-z$][A-Za-z0-9$]*/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const start = i;
    if ((ch >= '0' && ch <= '9') || ch === '.') {
      NUMBER_RE.lastIndex = i;
      const m = NUMBER_RE.exec(text);
      if (!m || m[1] === '.') throw new SyntaxError(`bad number at ${i}: ${text.slice(i, i + 10)}`);
      const value = Number(m[1]) * (m[4] !== undefined ? Math.pow(10, Number(m[4])) : 1);
      tokens.push({ type: 'num', value, pos: start });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z$]/.test(ch)) {
      NAME_RE.lastIndex = i;
      const m = NAME_RE.exec(text)!;
      tokens.push({ type: 'id', name: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if ('+-*/^()[],'.includes(ch)) {
      tokens.push({ type: 'op', op: ch, pos: start });
      i++;
      continue;
    }
    throw new SyntaxError(`unexpected character '${ch}' at ${i}`);
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}

const CONSTANTS: Record<string, DDComplex> = {
  Pi: ddc(DD_PI),
  E: ddc(DD_E),
  I: { rh: 0, rl: 0, ih: 1, il: 0 },
};

/**
 * Parses a Mathematica expression in the given variables (their order fixes the argument order of
 * the compiled evaluators).
 */
export function parseMathematica(text: string, variables: readonly string[]): ParsedExpression {
  const tokens = tokenize(text);
  const b = new Builder();
  let k = 0;
  const peek = (): Token => tokens[k];
  const isOp = (t: Token, op: string): boolean => t.type === 'op' && t.op === op;
  const fail = (msg: string): never => {
    throw new SyntaxError(`${msg} at position ${peek().pos}`);
  };
  const expect = (op: string): void => {
    if (!isOp(peek(), op)) fail(`expected '${op}'`);
    k++;
  };
  const startsPrimary = (t: Token): boolean => t.type === 'num' || t.type === 'id' || isOp(t, '(');

  function sum(): ExprNode {
    let left = term();
    for (;;) {
      const t = peek();
      if (isOp(t, '+') || isOp(t, '-')) {
        k++;
        left = b.binary(t.type === 'op' && t.op === '+' ? 'add' : 'sub', left, term());
      } else return left;
    }
  }

  function term(): ExprNode {
    let left = unary();
    for (;;) {
      const t = peek();
      if (isOp(t, '*')) {
        k++;
        left = b.binary('mul', left, unary());
      } else if (isOp(t, '/')) {
        k++;
        left = b.binary('div', left, unary());
      } else if (startsPrimary(t)) {
        left = b.binary('mul', left, power()); // juxtaposition
      } else return left;
    }
  }

  function unary(): ExprNode {
    const t = peek();
    if (isOp(t, '-')) {
      k++;
      return b.neg(unary());
    }
    if (isOp(t, '+')) {
      k++;
      return unary();
    }
    return power();
  }

  function power(): ExprNode {
    const base = primary();
    if (isOp(peek(), '^')) {
      k++;
      return b.binary('pow', base, unary()); // right-associative, exponent may be signed
    }
    return base;
  }

  function primary(): ExprNode {
    const t = peek();
    if (t.type === 'num') {
      k++;
      return b.numDouble(t.value);
    }
    if (isOp(t, '(')) {
      k++;
      const e = sum();
      expect(')');
      return e;
    }
    if (t.type === 'id') {
      k++;
      if (isOp(peek(), '[')) {
        k++;
        if (!(EXPR_FUNCTIONS as readonly string[]).includes(t.name)) fail(`unknown function '${t.name}'`);
        const arg = sum();
        if (isOp(peek(), ',')) fail(`'${t.name}' takes one argument`);
        expect(']');
        return b.call(t.name as ExprFunction, arg);
      }
      const v = variables.indexOf(t.name);
      if (v >= 0) return b.variable(v);
      const c = CONSTANTS[t.name];
      if (c) return b.num(c);
      fail(`unknown symbol '${t.name}'`);
    }
    return fail('unexpected token');
  }

  const root = sum();
  if (peek().type !== 'end') fail('unexpected trailing input');
  // keep only the nodes reachable from the root (folded constants leave orphans), in id order
  const reachable = new Set<number>();
  const stack: ExprNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (reachable.has(n.id)) continue;
    reachable.add(n.id);
    for (const c of children(n)) stack.push(c);
  }
  const nodes = b.nodes.filter((n) => reachable.has(n.id));
  return { variables: [...variables], root, nodes };
}

function children(n: ExprNode): ExprNode[] {
  switch (n.kind) {
    case 'num':
    case 'var':
      return [];
    case 'neg':
    case 'ipow':
    case 'call':
      return [n.a];
    default:
      return [n.a, n.b];
  }
}

// ---------------------------------------------------------------- polynomial blocks

/*
 * A polynomial subtree is expanded into monomials with double-double coefficients and evaluated in
 * double-double, then rounded to double. CLASS-PT's kernels (orthogonal ones especially) contain
 * polynomials of degree ~10 whose monomials cancel by up to ~1e7 at |nu| ~ 13 (N = 128) and more at
 * larger N, e.g. where nu1 ~ -nu2; evaluated in float64 they lose up to 9 digits.
 */

interface Monomial {
  exps: number[];
  c: DDComplex;
}
export type PolyMap = Map<string, Monomial>;

function polyConst(c: DDComplex, nv: number): PolyMap {
  const exps = new Array<number>(nv).fill(0);
  return ddcIsZero(c) ? new Map() : new Map([[exps.join(','), { exps, c }]]);
}

function polyAdd(a: PolyMap, b: PolyMap, sign: number): PolyMap {
  const out: PolyMap = new Map(a);
  for (const [k, m] of b) {
    const c = sign > 0 ? m.c : ddcNeg(m.c);
    const prev = out.get(k);
    const sum = prev ? ddcAdd(prev.c, c) : c;
    if (ddcIsZero(sum)) out.delete(k);
    else out.set(k, { exps: m.exps, c: sum });
  }
  return out;
}

function polyMul(a: PolyMap, b: PolyMap): PolyMap {
  const out: PolyMap = new Map();
  for (const ma of a.values()) {
    for (const mb of b.values()) {
      const exps = ma.exps.map((e, i) => e + mb.exps[i]);
      const k = exps.join(',');
      const c = ddcMul(ma.c, mb.c);
      const prev = out.get(k);
      out.set(k, { exps, c: prev ? ddcAdd(prev.c, c) : c });
    }
  }
  for (const [k, m] of out) if (ddcIsZero(m.c)) out.delete(k);
  return out;
}

export function polyExpand(n: ExprNode, nv: number, memo: Map<number, PolyMap>): PolyMap {
  const hit = memo.get(n.id);
  if (hit) return hit;
  let p: PolyMap;
  switch (n.kind) {
    case 'num':
      p = polyConst(n.value, nv);
      break;
    case 'var': {
      const exps = new Array<number>(nv).fill(0);
      exps[n.index] = 1;
      p = new Map([[exps.join(','), { exps, c: DDC_ONE }]]);
      break;
    }
    case 'neg':
      p = polyAdd(new Map(), polyExpand(n.a, nv, memo), -1);
      break;
    case 'add':
    case 'sub':
      p = polyAdd(polyExpand(n.a, nv, memo), polyExpand(n.b, nv, memo), n.kind === 'add' ? 1 : -1);
      break;
    case 'mul':
      p = polyMul(polyExpand(n.a, nv, memo), polyExpand(n.b, nv, memo));
      break;
    case 'ipow': {
      const base = polyExpand(n.a, nv, memo);
      p = polyConst(DDC_ONE, nv);
      for (let i = 0; i < n.p; i++) p = polyMul(p, base);
      break;
    }
    case 'div': {
      if (n.b.kind !== 'num') throw new Error('internal: division by a non-constant in a polynomial');
      const d = n.b.value;
      p = new Map();
      for (const [k, m] of polyExpand(n.a, nv, memo)) p.set(k, { exps: m.exps, c: ddcDiv(m.c, d) });
      break;
    }
    default:
      throw new Error(`internal: '${n.kind}' in a polynomial`);
  }
  memo.set(n.id, p);
  return p;
}

/** a polynomial evaluated at one point in double-double, rounded to double */
function scalarPoly(poly: PolyMap, nv: number): (args: readonly Complex[]) => Complex {
  const monomials = [...poly.values()];
  const maxExp = new Array<number>(nv).fill(0);
  for (const m of monomials) m.exps.forEach((e, i) => (maxExp[i] = Math.max(maxExp[i], e)));
  return (args) => {
    const powers = maxExp.map((me, v) => {
      const x = ddc({ hi: args[v].re, lo: 0 }, { hi: args[v].im, lo: 0 });
      const out: DDComplex[] = [DDC_ONE];
      for (let e = 1; e <= me; e++) out.push(ddcMul(out[e - 1], x));
      return out;
    });
    let acc: DDComplex = { rh: 0, rl: 0, ih: 0, il: 0 };
    for (const m of monomials) {
      let t = m.c;
      for (let v = 0; v < nv; v++) if (m.exps[v] > 0) t = ddcMul(t, powers[v][m.exps[v]]);
      acc = ddcAdd(acc, t);
    }
    return { re: acc.rh + acc.rl, im: acc.ih + acc.il };
  };
}

/**
 * A two-variable polynomial sum_{j,k} c_jk x^j y^k on rows of fixed x: per row, the coefficients
 * R_k(x) = sum_j c_jk x^j (double-double Horner); per entry, Horner in y in double-double with the
 * float64 y split once (Dekker), inlined for speed. When all columns share one real part a (the
 * FFTLog grids do: Re nu = -b/2), the row polynomial is Taylor-shifted per row to
 * sum_m Q_m t^m with y = a + i t, so the per-entry Horner runs over the real t (half the products).
 */
/** "registers" of the allocation-free double-double helpers below */
let TH = 0;
let TL = 0;

/** (TH, TL) = (ah + al) * b, b a double (Dekker product) */
function ddMulDInto(ah: number, al: number, b: number): void {
  const p = ah * b;
  let t = SPLITTER * ah;
  const hh = t - (t - ah);
  const hl = ah - hh;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = hh * bh - p + hh * bl + hl * bh + hl * bl + al * b;
  TH = p + e;
  TL = e - (TH - p);
}

/** (TH, TL) = (ah + al) + (bh + bl) ("sloppy" double-double sum) */
function ddAddInto(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = ah - (s - bb) + (bh - bb) + (al + bl);
  TH = s + e;
  TL = e - (TH - s);
}

/** out[oo..oo+3] = a[ao..] * (xr + i xi) + b[bo..], complex double-double (4 doubles each); may alias */
function cddMulAdd(
  a: Float64Array,
  ao: number,
  xr: number,
  xi: number,
  b: Float64Array,
  bo: number,
  out: Float64Array,
  oo: number,
): void {
  const arh = a[ao];
  const arl = a[ao + 1];
  const aih = a[ao + 2];
  const ail = a[ao + 3];
  ddMulDInto(arh, arl, xr);
  let h1 = TH;
  let l1 = TL;
  ddMulDInto(aih, ail, -xi);
  ddAddInto(h1, l1, TH, TL);
  ddAddInto(TH, TL, b[bo], b[bo + 1]);
  const rh = TH;
  const rl = TL;
  ddMulDInto(arh, arl, xi);
  h1 = TH;
  l1 = TL;
  ddMulDInto(aih, ail, xr);
  ddAddInto(h1, l1, TH, TL);
  ddAddInto(TH, TL, b[bo + 2], b[bo + 3]);
  out[oo] = rh;
  out[oo + 1] = rl;
  out[oo + 2] = TH;
  out[oo + 3] = TL;
}

/**
 * A two-variable polynomial sum_{j,k} c_jk x^j y^k on rows of fixed x: per row, the coefficients
 * R_k(x) = sum_j c_jk x^j (double-double Horner); per entry, Horner in y in double-double with the
 * float64 y split once (Dekker), inlined for speed. When all columns share one real part a (the
 * FFTLog grids do: Re nu = -b/2), the row polynomial is Taylor-shifted per row to
 * sum_m Q_m t^m with y = a + i t, so the per-entry Horner runs over the real t (half the products).
 */
class GridPoly {
  private readonly J: number;
  private readonly K: number;
  /** c_jk at 4 * (j * (K + 1) + k), complex double-double */
  private readonly coef: Float64Array;
  /** per-row coefficients (R_k, or Q_m on a common-real-part grid), 4 doubles each */
  private readonly r: Float64Array;
  /** the common real part of the columns, or NaN */
  private readonly shift: number;

  constructor(poly: PolyMap, colRe: Float64Array) {
    let J = 0;
    let K = 0;
    for (const m of poly.values()) {
      J = Math.max(J, m.exps[0]);
      K = Math.max(K, m.exps[1]);
    }
    this.J = J;
    this.K = K;
    this.coef = new Float64Array(4 * (J + 1) * (K + 1));
    for (const m of poly.values()) {
      const o = 4 * (m.exps[0] * (K + 1) + m.exps[1]);
      this.coef.set([m.c.rh, m.c.rl, m.c.ih, m.c.il], o);
    }
    this.r = new Float64Array(4 * (K + 1));
    this.shift = colRe.length > 0 && colRe.every((v) => v === colRe[0]) ? colRe[0] : NaN;
  }

  evaluateRow(x: Complex, colRe: Float64Array, colIm: Float64Array, count: number, outRe: Float64Array, outIm: Float64Array): void {
    const { J, K, coef, r } = this;
    // R_k(x) by Horner over j
    for (let k = 0; k <= K; k++) {
      const o = 4 * k;
      r.set(coef.subarray(4 * (J * (K + 1) + k), 4 * (J * (K + 1) + k) + 4), o);
      for (let j = J - 1; j >= 0; j--) cddMulAdd(r, o, x.re, x.im, coef, 4 * (j * (K + 1) + k), r, o);
    }
    if (Number.isNaN(this.shift)) this.rowGeneral(colRe, colIm, count, outRe, outIm);
    else this.rowShifted(colIm, count, outRe, outIm);
  }

  /** y = a + i t: Q_m = i^m sum_{k>=m} binom(k, m) a^{k-m} R_k (Taylor shift by repeated synthetic division) */
  private rowShifted(colIm: Float64Array, count: number, outRe: Float64Array, outIm: Float64Array): void {
    const K = this.K;
    const r = this.r;
    const a = this.shift;
    for (let m = 0; m < K; m++) {
      for (let k = K - 1; k >= m; k--) {
        // q_k += a q_{k+1}
        const o = 4 * k;
        ddMulDInto(r[o + 4], r[o + 5], a);
        ddAddInto(r[o], r[o + 1], TH, TL);
        r[o] = TH;
        r[o + 1] = TL;
        ddMulDInto(r[o + 6], r[o + 7], a);
        ddAddInto(r[o + 2], r[o + 3], TH, TL);
        r[o + 2] = TH;
        r[o + 3] = TL;
      }
    }
    for (let m = 1; m <= K; m++) {
      // multiply by i^m
      const o = 4 * m;
      const rot = m % 4;
      const rh = r[o];
      const rl = r[o + 1];
      const ih = r[o + 2];
      const il = r[o + 3];
      if (rot === 1) r.set([-ih, -il, rh, rl], o);
      else if (rot === 2) r.set([-rh, -rl, -ih, -il], o);
      else if (rot === 3) r.set([ih, il, -rh, -rl], o);
    }
    const top = 4 * K;
    for (let d = 0; d < count; d++) {
      const y = colIm[d];
      let t = SPLITTER * y;
      const yh = t - (t - y);
      const yl = y - yh;
      let arh = r[top];
      let arl = r[top + 1];
      let aih = r[top + 2];
      let ail = r[top + 3];
      for (let k4 = top - 4; k4 >= 0; k4 -= 4) {
        // (ar + i ai) t + Q_k: two DD x double products (Dekker) and two "sloppy" DD adds
        t = SPLITTER * arh;
        let hh = t - (t - arh);
        let hl = arh - hh;
        let p = arh * y;
        let e = hh * yh - p + hh * yl + hl * yh + hl * yl + arl * y;
        let ph = p + e;
        let pl = e - (ph - p);
        let s = ph + r[k4];
        let bb = s - ph;
        e = ph - (s - bb) + (r[k4] - bb) + (pl + r[k4 + 1]);
        arh = s + e;
        arl = e - (arh - s);
        t = SPLITTER * aih;
        hh = t - (t - aih);
        hl = aih - hh;
        p = aih * y;
        e = hh * yh - p + hh * yl + hl * yh + hl * yl + ail * y;
        ph = p + e;
        pl = e - (ph - p);
        s = ph + r[k4 + 2];
        bb = s - ph;
        e = ph - (s - bb) + (r[k4 + 2] - bb) + (pl + r[k4 + 3]);
        aih = s + e;
        ail = e - (aih - s);
      }
      outRe[d] = arh + arl;
      outIm[d] = aih + ail;
    }
  }

  private rowGeneral(colRe: Float64Array, colIm: Float64Array, count: number, outRe: Float64Array, outIm: Float64Array): void {
    const K = this.K;
    const r = this.r;
    const top = 4 * K;
    for (let d = 0; d < count; d++) {
      const y = colRe[d];
      const z = colIm[d];
      let t = SPLITTER * y;
      const yh = t - (t - y);
      const yl = y - yh;
      t = SPLITTER * z;
      const zh = t - (t - z);
      const zl = z - zh;
      let arh = r[top];
      let arl = r[top + 1];
      let aih = r[top + 2];
      let ail = r[top + 3];
      for (let k = K - 1; k >= 0; k--) {
        // (ar + i ai)(y + i z) + R_k, each product DD x double (Dekker), sums "sloppy" DD adds
        t = SPLITTER * arh;
        const rh = t - (t - arh);
        const rl = arh - rh;
        t = SPLITTER * aih;
        const ih = t - (t - aih);
        const il = aih - ih;
        // p1 = ar*y
        let p = arh * y;
        let e = rh * yh - p + rh * yl + rl * yh + rl * yl + arl * y;
        const p1h = p + e;
        const p1l = e - (p1h - p);
        // p2 = ai*z
        p = aih * z;
        e = ih * zh - p + ih * zl + il * zh + il * zl + ail * z;
        const p2h = p + e;
        const p2l = e - (p2h - p);
        // p3 = ar*z
        p = arh * z;
        e = rh * zh - p + rh * zl + rl * zh + rl * zl + arl * z;
        const p3h = p + e;
        const p3l = e - (p3h - p);
        // p4 = ai*y
        p = aih * y;
        e = ih * yh - p + ih * yl + il * yh + il * yl + ail * y;
        const p4h = p + e;
        const p4l = e - (p4h - p);
        // re = p1 - p2 + Rk.re
        let s = p1h - p2h;
        let bb = s - p1h;
        e = p1h - (s - bb) + (-p2h - bb) + (p1l - p2l);
        let h = s + e;
        let l = e - (h - s);
        const k4 = 4 * k;
        s = h + r[k4];
        bb = s - h;
        e = h - (s - bb) + (r[k4] - bb) + (l + r[k4 + 1]);
        arh = s + e;
        arl = e - (arh - s);
        // im = p3 + p4 + Rk.im
        s = p3h + p4h;
        bb = s - p3h;
        e = p3h - (s - bb) + (p4h - bb) + (p3l + p4l);
        h = s + e;
        l = e - (h - s);
        s = h + r[k4 + 2];
        bb = s - h;
        e = h - (s - bb) + (r[k4 + 2] - bb) + (l + r[k4 + 3]);
        aih = s + e;
        ail = e - (aih - s);
      }
      outRe[d] = arh + arl;
      outIm[d] = aih + ail;
    }
  }
}

// ---------------------------------------------------------------- scalar evaluation

type ScalarFn = (args: readonly Complex[]) => Scaled;

interface CompileContext {
  nv: number;
  fns: Map<number, ScalarFn>;
  polys: Map<number, PolyMap>;
}

function compileScalarNode(n: ExprNode, ctx: CompileContext): ScalarFn {
  const memo = ctx.fns;
  const hit = memo.get(n.id);
  if (hit) return hit;
  let f: ScalarFn;
  if (n.poly && n.kind !== 'var') {
    if (n.kind === 'num') {
      const v: Scaled = { re: n.re, im: n.im, s: 0 };
      f = () => v;
    } else {
      const p = scalarPoly(polyExpand(n, ctx.nv, ctx.polys), ctx.nv);
      f = (args) => {
        const v = p(args);
        return { re: v.re, im: v.im, s: 0 };
      };
    }
    memo.set(n.id, f);
    return f;
  }
  switch (n.kind) {
    case 'num': {
      const v: Scaled = { re: n.re, im: n.im, s: 0 };
      f = () => v;
      break;
    }
    case 'var': {
      const i = n.index;
      f = (args) => ({ re: args[i].re, im: args[i].im, s: 0 });
      break;
    }
    case 'neg': {
      const a = compileScalarNode(n.a, ctx);
      f = (args) => {
        const x = a(args);
        return { re: -x.re, im: -x.im, s: x.s };
      };
      break;
    }
    case 'ipow': {
      const a = compileScalarNode(n.a, ctx);
      const p = n.p;
      f = (args) => sIpow(a(args), p);
      break;
    }
    case 'call': {
      const a = compileScalarNode(n.a, ctx);
      const fn = n.fn;
      f = (args) => sCall(fn, a(args));
      break;
    }
    default: {
      const a = compileScalarNode(n.a, ctx);
      const b = compileScalarNode(n.b, ctx);
      switch (n.kind) {
        case 'add':
          f = (args) => sAdd(a(args), b(args), 1);
          break;
        case 'sub':
          f = (args) => sAdd(a(args), b(args), -1);
          break;
        case 'mul':
          f = (args) => sMul(a(args), b(args));
          break;
        case 'div':
          f = (args) => sDiv(a(args), b(args));
          break;
        case 'pow':
          f = (args) => sPow(a(args), b(args));
          break;
      }
    }
  }
  memo.set(n.id, f);
  return f;
}

/** A closure evaluating the expression at one point, arguments in the order of `variables`. */
export function compileScalar(expr: ParsedExpression): (args: readonly Complex[]) => Complex {
  const nv = expr.variables.length;
  const f = compileScalarNode(expr.root, { nv, fns: new Map(), polys: new Map() });
  return (args) => {
    if (args.length !== nv) throw new RangeError(`expected ${nv} arguments, got ${args.length}`);
    return unscale(f(args));
  };
}

/** Parses and evaluates once (convenience for tests). */
export function evaluateMathematica(text: string, variables: Record<string, Complex | number> = {}): Complex {
  const names = Object.keys(variables);
  const args = names.map((v) => {
    const x = variables[v];
    return typeof x === 'number' ? { re: x, im: 0 } : x;
  });
  return compileScalar(parseMathematica(text, names))(args);
}

// ---------------------------------------------------------------- grid evaluation

/** a row-length register: mantissas, and scales if the node is scaled */
interface Reg {
  re: Float64Array;
  im: Float64Array;
  sc: Float64Array | null;
}

export interface GridEvaluator {
  /** number of columns (the length of `columns` given to `compileGrid`) */
  readonly columns: number;
  /**
   * Writes f(row, columns[d]) for d = 0..count-1 to outRe/outIm[offset + d]. Values are
   * fully unscaled (e^s applied).
   */
  evaluateRow(row: Complex, count: number, outRe: Float64Array, outIm: Float64Array, offset?: number): void;
}

/**
 * Compiles a two-variable expression f(x, y) (x = variables[0], the row variable; y = variables[1],
 * the column variable) for rows of fixed x against a fixed list of y values.
 */
export function compileGrid(expr: ParsedExpression, columns: readonly Complex[]): GridEvaluator {
  if (expr.variables.length !== 2) throw new RangeError('compileGrid needs exactly two variables (row, column)');
  const nc = columns.length;
  const colRe = Float64Array.from(columns, (c) => c.re);
  const colIm = Float64Array.from(columns, (c) => c.im);
  const MIXED = 3;
  const ctx: CompileContext = { nv: 2, fns: new Map(), polys: new Map() };
  const regs = new Map<number, Reg>();
  /** leaves refilled at every row: [register, scalar closure of the row variable] */
  const rowLeaves: [Reg, ScalarFn][] = [];
  /** polynomials in both variables, evaluated at every row */
  const polyLeaves: [Reg, GridPoly][] = [];
  const steps: ((count: number) => void)[] = [];

  const alloc = (scaled: boolean): Reg => ({
    re: new Float64Array(nc),
    im: new Float64Array(nc),
    sc: scaled ? new Float64Array(nc) : null,
  });

  /** register of a node that a mixed node reads (or of the root) */
  function operand(n: ExprNode): Reg {
    const hit = regs.get(n.id);
    if (hit) return hit;
    if (n.deps === MIXED && !n.poly) throw new Error('internal: mixed operand not yet computed');
    const r = alloc(n.scaled);
    if (n.deps === MIXED) {
      polyLeaves.push([r, new GridPoly(polyExpand(n, 2, ctx.polys), colRe)]);
    } else if (n.deps === 0 || n.deps === 2) {
      // constant, or a function of the column variable only: evaluate once per grid
      const f = compileScalarNode(n, ctx);
      const args: Complex[] = [{ re: 0, im: 0 }, { re: 0, im: 0 }];
      for (let d = 0; d < nc; d++) {
        args[1] = columns[d];
        const v = f(args);
        r.re[d] = v.re;
        r.im[d] = v.im;
        if (r.sc) r.sc[d] = v.s;
        else if (v.s !== 0) throw new Error('internal: unscaled node with a scale');
      }
    } else rowLeaves.push([r, compileScalarNode(n, ctx)]);
    regs.set(n.id, r);
    return r;
  }

  for (const n of expr.nodes) {
    if (n.deps !== MIXED || n.poly) continue;
    const out = alloc(n.scaled);
    steps.push(vectorStep(n, out, operand));
    regs.set(n.id, out);
  }
  const rootReg = operand(expr.root);

  const rowArgs: Complex[] = [{ re: 0, im: 0 }, { re: 0, im: 0 }];
  return {
    columns: nc,
    evaluateRow(row, count, outRe, outIm, offset = 0) {
      if (count > nc) throw new RangeError(`count ${count} exceeds the ${nc} columns`);
      rowArgs[0] = row;
      for (const [r, f] of rowLeaves) {
        const v = f(rowArgs);
        r.re.fill(v.re, 0, count);
        r.im.fill(v.im, 0, count);
        if (r.sc) r.sc.fill(v.s, 0, count);
      }
      for (const [r, p] of polyLeaves) p.evaluateRow(row, colRe, colIm, count, r.re, r.im);
      for (const step of steps) step(count);
      const { re, im, sc } = rootReg;
      if (sc) {
        for (let d = 0; d < count; d++) {
          const e = Math.exp(sc[d]);
          outRe[offset + d] = re[d] * e;
          outIm[offset + d] = im[d] * e;
        }
      } else {
        for (let d = 0; d < count; d++) {
          outRe[offset + d] = re[d];
          outIm[offset + d] = im[d];
        }
      }
    },
  };
}

/** the array kernel of one mixed node */
function vectorStep(n: ExprNode, out: Reg, operand: (n: ExprNode) => Reg): (count: number) => void {
  const ore = out.re;
  const oim = out.im;
  const osc = out.sc;
  switch (n.kind) {
    case 'num':
    case 'var':
      throw new Error('internal: leaf cannot be mixed');
    case 'neg': {
      const a = operand(n.a);
      return (count) => {
        for (let i = 0; i < count; i++) {
          ore[i] = -a.re[i];
          oim[i] = -a.im[i];
        }
        if (osc) osc.set(a.sc!.subarray(0, count));
      };
    }
    case 'ipow': {
      const a = operand(n.a);
      const p = n.p;
      return (count) => {
        const x: Scaled = { re: 0, im: 0, s: 0 };
        for (let i = 0; i < count; i++) {
          x.re = a.re[i];
          x.im = a.im[i];
          x.s = a.sc ? a.sc[i] : 0;
          const v = sIpow(x, p);
          ore[i] = v.re;
          oim[i] = v.im;
          if (osc) osc[i] = v.s;
        }
      };
    }
    case 'call': {
      const a = operand(n.a);
      const fn = n.fn;
      const asc = a.sc;
      if ((fn === 'Sin' || fn === 'Cos' || fn === 'Csc' || fn === 'Sec') && osc) {
        // allocation-free path for the functions CLASS-PT's kernels use (same formulas as sCall)
        const isSin = fn === 'Sin' || fn === 'Csc';
        const recip = fn === 'Csc' || fn === 'Sec';
        return (count) => {
          for (let i = 0; i < count; i++) {
            let x = a.re[i];
            let y = a.im[i];
            if (asc && asc[i] !== 0) {
              const f = Math.exp(asc[i]);
              x *= f;
              y *= f;
            }
            const ay = Math.abs(y);
            const e = Math.exp(-2 * ay);
            const ch = 0.5 * (1 + e);
            const sh = (y < 0 ? -0.5 : 0.5) * (1 - e);
            const sx = Math.sin(x);
            const cx = Math.cos(x);
            const mr = isSin ? sx * ch : cx * ch;
            const mi = isSin ? cx * sh : -sx * sh;
            if (recip) {
              const d = mr * mr + mi * mi;
              ore[i] = mr / d;
              oim[i] = -mi / d;
              osc[i] = -ay;
            } else {
              ore[i] = mr;
              oim[i] = mi;
              osc[i] = ay;
            }
          }
        };
      }
      return (count) => {
        const x: Scaled = { re: 0, im: 0, s: 0 };
        for (let i = 0; i < count; i++) {
          x.re = a.re[i];
          x.im = a.im[i];
          x.s = asc ? asc[i] : 0;
          const v = sCall(fn, x);
          ore[i] = v.re;
          oim[i] = v.im;
          if (osc) osc[i] = v.s;
          else if (v.s !== 0) throw new Error('internal: unscaled call with a scale');
        }
      };
    }
    case 'pow': {
      const a = operand(n.a);
      const b = operand(n.b);
      return (count) => {
        const x: Scaled = { re: 0, im: 0, s: 0 };
        const y: Scaled = { re: 0, im: 0, s: 0 };
        for (let i = 0; i < count; i++) {
          x.re = a.re[i];
          x.im = a.im[i];
          x.s = a.sc ? a.sc[i] : 0;
          y.re = b.re[i];
          y.im = b.im[i];
          y.s = b.sc ? b.sc[i] : 0;
          const v = sPow(x, y);
          ore[i] = v.re;
          oim[i] = v.im;
          osc![i] = v.s;
        }
      };
    }
    case 'add':
    case 'sub': {
      const a = operand(n.a);
      const b = operand(n.b);
      const sign = n.kind === 'add' ? 1 : -1;
      const are = a.re;
      const aim = a.im;
      const bre = b.re;
      const bim = b.im;
      if (!osc) {
        return sign === 1
          ? (count) => {
              for (let i = 0; i < count; i++) {
                ore[i] = are[i] + bre[i];
                oim[i] = aim[i] + bim[i];
              }
            }
          : (count) => {
              for (let i = 0; i < count; i++) {
                ore[i] = are[i] - bre[i];
                oim[i] = aim[i] - bim[i];
              }
            };
      }
      const asc = a.sc;
      const bsc = b.sc;
      return (count) => {
        for (let i = 0; i < count; i++) {
          const sa = asc ? asc[i] : 0;
          const sb = bsc ? bsc[i] : 0;
          if (sa === sb) {
            ore[i] = are[i] + sign * bre[i];
            oim[i] = aim[i] + sign * bim[i];
            osc[i] = sa;
          } else if (sa > sb) {
            const f = sign * Math.exp(sb - sa);
            ore[i] = are[i] + f * bre[i];
            oim[i] = aim[i] + f * bim[i];
            osc[i] = sa;
          } else {
            const f = Math.exp(sa - sb);
            ore[i] = f * are[i] + sign * bre[i];
            oim[i] = f * aim[i] + sign * bim[i];
            osc[i] = sb;
          }
        }
      };
    }
    case 'mul': {
      const a = operand(n.a);
      const b = operand(n.b);
      const are = a.re;
      const aim = a.im;
      const bre = b.re;
      const bim = b.im;
      const asc = a.sc;
      const bsc = b.sc;
      return (count) => {
        for (let i = 0; i < count; i++) {
          const xr = are[i];
          const xi = aim[i];
          const yr = bre[i];
          const yi = bim[i];
          ore[i] = xr * yr - xi * yi;
          oim[i] = xr * yi + xi * yr;
        }
        if (osc) {
          for (let i = 0; i < count; i++) osc[i] = (asc ? asc[i] : 0) + (bsc ? bsc[i] : 0);
        }
      };
    }
    case 'div': {
      const a = operand(n.a);
      const b = operand(n.b);
      const are = a.re;
      const aim = a.im;
      const bre = b.re;
      const bim = b.im;
      const asc = a.sc;
      const bsc = b.sc;
      return (count) => {
        for (let i = 0; i < count; i++) {
          const xr = are[i];
          const xi = aim[i];
          const yr = bre[i];
          const yi = bim[i];
          if (Math.abs(yr) >= Math.abs(yi)) {
            const r = yi / yr;
            const d = yr + yi * r;
            ore[i] = (xr + xi * r) / d;
            oim[i] = (xi - xr * r) / d;
          } else {
            const r = yr / yi;
            const d = yr * r + yi;
            ore[i] = (xr * r + xi) / d;
            oim[i] = (xi * r - xr) / d;
          }
        }
        if (osc) {
          for (let i = 0; i < count; i++) osc[i] = (asc ? asc[i] : 0) - (bsc ? bsc[i] : 0);
        }
      };
    }
  }
}
