/**
 * CLASS-PT's FFTLog kernels as analytic functions of the power-law exponents nu = -eta/2
 * (CLASS-PT `pt_matrices/` generator `matrix_gen.py`, and the run-time fills of
 * `nonlinear_pt_loop`). A P22-type loop of P(q) = sum_c c_c q^{eta_c} is
 * k^3 sum_{c,d} c_c k^{eta_c} M(nu_c, nu_d) c_d k^{eta_d}; a P13-type loop is k^3 P(k) sum_c c_c k^{eta_c} M(nu_c).
 * nu12 = nu1 + nu2 throughout.
 */
import {
  add,
  addReal,
  div,
  exp,
  lnGamma,
  mul,
  prod,
  rsubReal,
  scale,
  sub,
  tanPi,
  type Complex,
} from '../numerics/complex';

const J_NORM = 1 / (8 * Math.pow(Math.PI, 1.5));

/**
 * The basic one-loop integral of two power laws,
 * J(nu1, nu2) = Gamma(3/2-nu1) Gamma(3/2-nu2) Gamma(nu12-3/2) / [Gamma(nu1) Gamma(nu2) Gamma(3-nu12)] / (8 pi^{3/2}),
 * i.e. int d^3q/(2pi)^3 q^{-2 nu1} |k-q|^{-2 nu2} = k^{3-2 nu12} J(nu1, nu2).
 * Returns 0 where 1/Gamma(3 - nu12) or 1/Gamma(nu_i) vanishes (never on CLASS-PT's grids).
 */
// CLASS-PT pt_matrices M22basiconeline: matrix_gen.py J (b = -1.6000001); also the base of every M22/M12 kernel
export function j22(nu1: Complex, nu2: Complex): Complex {
  const nu12 = add(nu1, nu2);
  const lnDen = [lnGamma(nu1), lnGamma(nu2), lnGamma(rsubReal(3, nu12))];
  if (lnDen.some((g) => g.re === Infinity)) return { re: 0, im: 0 };
  const lnNum = [lnGamma(rsubReal(1.5, nu1)), lnGamma(rsubReal(1.5, nu2)), lnGamma(addReal(nu12, -1.5))];
  let re = 0;
  let im = 0;
  for (const g of lnNum) {
    re += g.re;
    im += g.im;
  }
  for (const g of lnDen) {
    re -= g.re;
    im -= g.im;
  }
  return scale(exp({ re, im }), J_NORM);
}

/** nu (1 + nu) (1/2 - nu): the one-leg denominator of the F2 kernel in M22 */
function f2Leg(nu: Complex): Complex {
  return prod(nu, addReal(nu, 1), rsubReal(0.5, nu));
}

/**
 * Matter P22 kernel (F2 x F2): M22 = (3/2-nu12)(1/2-nu12)
 *   [nu1 nu2 (98 nu12^2 - 14 nu12 + 36) - 91 nu12^2 + 3 nu12 + 58] J / [196 nu1(1+nu1)(1/2-nu1) nu2(1+nu2)(1/2-nu2)].
 */
// CLASS-PT pt_matrices M22oneline: matrix_gen.py M22 (b = -0.3)
export function m22(nu1: Complex, nu2: Complex): Complex {
  const nu12 = add(nu1, nu2);
  const nu12sq = mul(nu12, nu12);
  const inner = addReal(sub(scale(nu12sq, 98), scale(nu12, 14)), 36);
  const rest = addReal(add(scale(nu12sq, -91), scale(nu12, 3)), 58); // -91 nu12^2 + 3 nu12 + 58
  const bracket = add(mul(mul(nu1, nu2), inner), rest);
  const num = prod(rsubReal(1.5, nu12), rsubReal(0.5, nu12), bracket, j22(nu1, nu2));
  const den = scale(mul(f2Leg(nu1), f2Leg(nu2)), 196);
  return div(num, den);
}

/** (nu + 1) nu (nu - 1)(nu - 2)(nu - 3): the common P13 denominator */
function p13Den(nu: Complex): Complex {
  return prod(addReal(nu, 1), nu, addReal(nu, -1), addReal(nu, -2), addReal(nu, -3));
}

/** Matter P13 kernel: M13(nu) = (1 + 9 nu) tan(pi nu) / [112 pi (nu+1) nu (nu-1)(nu-2)(nu-3)]. */
// CLASS-PT pt_matrices M13oneline: matrix_gen.py M13 (b = -0.3)
export function m13(nu: Complex): Complex {
  const num = mul(addReal(scale(nu, 9), 1), tanPi(nu));
  return div(num, scale(p13Den(nu), 112 * Math.PI));
}

/** The F_G2 P13-type kernel: M13v2(nu) = -15 tan(pi nu) / [28 pi (nu+1) nu (nu-1)(nu-2)(nu-3)]. */
// CLASS-PT pt_matrices IFG2oneline: matrix_gen.py M13v2 (b = -1.6000001)
export function ifg2(nu: Complex): Complex {
  return div(scale(tanPi(nu), -15), scale(p13Den(nu), 28 * Math.PI));
}

/** nu (1 + nu): the one-leg denominator of the Galileon (G2) kernel */
function g2Leg(nu: Complex): Complex {
  return mul(nu, addReal(nu, 1));
}

/** I_{delta^2}: J (3 - 2 nu12)(4 - 7 nu12) / (14 nu1 nu2). */
// CLASS-PT nonlinear_pt.c M_Id2 (4862-4885): M22basic x factor (b = -1.6000001)
export function id2(nu1: Complex, nu2: Complex): Complex {
  const nu12 = add(nu1, nu2);
  const num = prod(rsubReal(3, scale(nu12, 2)), rsubReal(4, scale(nu12, 7)), j22(nu1, nu2));
  return div(num, scale(mul(nu1, nu2), 14));
}

/** I_{G2}: -J (3 - 2 nu12)(1 - 2 nu12)(6 + 7 nu12) / [28 nu1 nu2 (1 + nu1)(1 + nu2)]. */
// CLASS-PT nonlinear_pt.c M_IG2 (4862-4885): M22basic x factor (b = -1.6000001)
export function ig2(nu1: Complex, nu2: Complex): Complex {
  const nu12 = add(nu1, nu2);
  const num = prod(rsubReal(3, scale(nu12, 2)), rsubReal(1, scale(nu12, 2)), addReal(scale(nu12, 7), 6), j22(nu1, nu2));
  return div(num, scale(mul(g2Leg(nu1), g2Leg(nu2)), -28));
}

/** I_{delta^2 G2}: J (3 - 2 nu12) / (nu1 nu2). */
// CLASS-PT nonlinear_pt.c M_Id2G2 (4862-4885): M22basic x factor (b = -1.6000001)
export function id2g2(nu1: Complex, nu2: Complex): Complex {
  const nu12 = add(nu1, nu2);
  return div(mul(rsubReal(3, scale(nu12, 2)), j22(nu1, nu2)), mul(nu1, nu2));
}

/** I_{G2 G2}: J (3 - 2 nu12)(1 - 2 nu12) / [nu1 nu2 (1 + nu1)(1 + nu2)]. */
// CLASS-PT nonlinear_pt.c M_IG2G2 (4862-4885): M22basic x factor (b = -1.6000001)
export function ig2g2(nu1: Complex, nu2: Complex): Complex {
  const nu12 = add(nu1, nu2);
  const num = prod(rsubReal(3, scale(nu12, 2)), rsubReal(1, scale(nu12, 2)), j22(nu1, nu2));
  return div(num, mul(g2Leg(nu1), g2Leg(nu2)));
}
