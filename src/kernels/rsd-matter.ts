/**
 * Redshift-space matter kernels of CLASS-PT (`nonlinear_pt_loop`, RSD part), as polynomials in
 * (nu1, nu2, f) multiplying base = M22 * 196 / DEN (P22-type) or in (nu, f) multiplying
 * M13 / (1 + 9 nu) (P13-type). Each is split into powers of f (./polynomial.ts), so the plan
 * holds one f-independent matrix per (kernel, power).
 *
 * IR on (`irindex == 1`): the μ-power kernels P(k, mu) = sum_n P_{mu^n}(k) mu^n.
 * IR off (`irindex == 0`): the Legendre multipoles directly (no AP).
 * Names follow CLASS-PT's arrays (`M22_oneline_mu2_vd_complex` -> `mu2_vd`).
 */

/** DEN: the F2 bracket of M22, divided out to form `base` (CLASS-PT `DENOM`). */
export const M22_DEN = '98*n1*n2*n12^2 - 91*n12^2 + 36*n1*n2 - 14*n1*n2*n12 + 3*n12 + 58';

// Shared sub-expressions of the IR-off multipoles (CLASS-PT A0, B0, C0, D0, ...).
const A0 = '(50 - 9*n2 + 98*n1^3*n2 - 35*n2^2 + 7*n1^2*(-5 - 18*n2 + 28*n2^2) + n1*(-9 - 66*n2 - 126*n2^2 + 98*n2^3))';
const B0 = '(46 + 13*n2 + 98*n1^3*n2 - 63*n2^2 + 7*n1^2*(-9 - 10*n2 + 28*n2^2) + n1*(13 - 138*n2 - 70*n2^2 + 98*n2^3))';
const C0 = '(10 - n2 + 14*n1^3*n2 - 17*n2^2 + n1^2*(-17 + 6*n2 + 28*n2^2) + n1*(-1 - 22*n2 + 6*n2^2 + 14*n2^3))';
const D0 = '(58 + 3*n2 + 98*n1^3*n2 - 91*n2^2 + 7*n1^2*(-13 - 2*n2 + 28*n2^2) + n1*(3 - 146*n2 - 14*n2^2 + 98*n2^3))';
const VV0_F4 = '14*(24 - 8*n2 - 15*n2^2 + 5*n2^3 + 5*n1^3*(1 + 7*n2) + 5*n1^2*(-3 - 10*n2 + 14*n2^2) + n1*(-8 - 24*n2 - 50*n2^2 + 35*n2^3))';
const VV0_F3 = '18*(36 - 8*n2 + 70*n1^3*n2 - 23*n2^2 + n1^2*(-23 - 94*n2 + 140*n2^2) + n1*(-8 - 42*n2 - 94*n2^2 + 70*n2^3))';
const VD0_F3 = '21*(6 + 3*n2 - 10*n2^2 + 2*n2^3 + 2*n1^3*(1 + 5*n2) + 2*n1^2*(-5 - 2*n2 + 10*n2^2) + n1*(3 - 24*n2 - 4*n2^2 + 10*n2^3))';
const VD0_F2 = '14*(18 + 11*n2 + 42*n1^3*n2 - 31*n2^2 + n1^2*(-31 - 22*n2 + 84*n2^2) + n1*(11 - 74*n2 - 22*n2^2 + 42*n2^3))';
const DD0_F2 = '98*(4 - 2*n2 - 5*n2^2 + n2^3 + n1^3*(1 + 3*n2) + n1^2*(-5 + 2*n2 + 6*n2^2) + n1*(-2 - 4*n2 + 2*n2^2 + 3*n2^3))';
const QVV_F2 = '231*(142 - 21*n2 + 280*n1^3*n2 - 106*n2^2 + 2*n1^2*(-53 - 174*n2 + 280*n2^2) + n1*(-21 - 204*n2 - 348*n2^2 + 280*n2^3))';
const QVV_F4 = '49*(336 - 62*n2 - 255*n2^2 + 50*n2^3 + 10*n1^3*(5 + 56*n2) + 5*n1^2*(-51 - 142*n2 + 224*n2^2) + n1*(-62 - 486*n2 - 710*n2^2 + 560*n2^3))';
const QVD_F3 = '7*(22 + 11*n2 - 40*n2^2 + 4*n2^3 + n1^3*(4 + 40*n2) + 8*n1^2*(-5 - n2 + 10*n2^2) + n1*(11 - 88*n2 - 8*n2^2 + 40*n2^3))';
const QVD_F2 = '(306 + 161*n2 + 672*n1^3*n2 - 538*n2^2 + 2*n1^2*(-269 - 134*n2 + 672*n2^2) + n1*(161 - 1196*n2 - 268*n2^2 + 672*n2^3))';
const QDD_F2 = '(26 - 13*n2 - 37*n2^2 + 2*n2^3 + n1^3*(2 + 24*n2) + n1^2*(-37 + 22*n2 + 48*n2^2) + n1*(-13 - 26*n2 + 22*n2^2 + 24*n2^3))';
const HVV_F2 = '728*(206 + 420*n1^3*n2 + (7 - 208*n2)*n2 + 8*n1^2*(-26 + n2*(-53 + 105*n2)) + n1*(7 + 4*n2*(-108 + n2*(-106 + 105*n2))))';
const HVV_F4 = '147*(483 + 40*n1^3*(-1 + 28*n2) - 2*n2*(-57 + 10*n2*(29 + 2*n2)) + 20*n1^2*(-29 + 2*n2*(-25 + 56*n2)) + 2*n1*(57 + 2*n2*(-327 + 10*n2*(-25 + 28*n2))))';
const HVD_F2 = '14*(26 + 13*n2 - 60*n2^2 - 8*n2^3 + n1^3*(-8 + 60*n2) + 4*n1^2*(-15 + 4*n2 + 30*n2^2) + n1*(13 - 104*n2 + 16*n2^2 + 60*n2^3))';
const HVD_F1 = '11*(58 + 21*n2 + 112*n1^3*n2 - 106*n2^2 + 2*n1^2*(-53 - 6*n2 + 112*n2^2) + n1*(21 - 204*n2 - 12*n2^2 + 112*n2^3))';

/** IR-off multipole P22 kernels, each multiplying base (CLASS-PT 3706-3770). */
export const P22_MULTIPOLES: Record<string, string> = {
  '0_vv': `f^2*(f^2*${VV0_F4} + f*${VV0_F3} + 9*${A0})/8820`,
  '0_vd': `f*(f^2*${VD0_F3} + f*${VD0_F2} + 5*${B0})/1470`,
  '0_dd': `(f^2*${DD0_F2} + 70*f*${C0} + 15*${D0})/2940`,
  '2_vv': `f^2*(396*${A0} + f*${QVV_F2} + f^2*${QVV_F4})/135828`,
  '2_vd': `f*(f^2*${QVD_F3} + 4*${B0} + f*${QVD_F2})/588`,
  '2_dd': `f*(4*${C0} + f*${QDD_F2})/84`,
  '4_vv': `f^2*(1144*${A0} + f*${HVV_F2} + f^2*${HVV_F4})/980980`,
  '4_vd': `f^2*(f*${HVD_F2} + ${HVD_F1})/2695`,
  '4_dd': 'f^2*(2*n1 - 1)*(2*n2 - 1)*(1 + n12)*(2 + n12)/35',
};

/** IR-on μ-power P22 kernels, each multiplying base (CLASS-PT 3973-3994); mu0_dd is M22 itself. */
export const P22_MU_POWERS: Record<string, string> = {
  mu0_dd: `(${M22_DEN})/196`,
  mu2_vd: `-f*(7*f*(2*n1 - 1)*(2*n2 - 1)*(6 + 7*n12) - 4*${B0})/392`,
  mu2_dd:
    'f*(7*f*(2 + 2*n1^3 - n2 - n2^2 + 2*n2^3 - n1^2*(1 + 2*n2) - n1*(1 + 2*n2 + 2*n2^2))' +
    ` + 4*${C0})/56`,
  mu4_vv: `f^2*(147*f^2*(2*n1 - 1)*(2*n2 - 1) - 28*f*(2*n1 - 1)*(2*n2 - 1)*(7*n12 - 2) + 8*${A0})/1568`,
  mu4_vd:
    'f^2*(58 + 21*n2 + 112*n1^3*n2 - 106*n2^2 + 2*n1^2*(-53 - 6*n2 + 112*n2^2)' +
    ' + 7*f*(2 + n1 + 4*n1^3 + n2 - 8*n1*n2 - 8*n1^2*n2 - 8*n1*n2^2 + 4*n2^3)' +
    ' + n1*(21 - 204*n2 - 12*n2^2 + 112*n2^3))/56',
  mu4_dd: 'f^2*(2*n1 - 1)*(2*n2 - 1)*(2 + n1^2 + 3*n2 + n2^2 + n1*(3 + 2*n2))/8',
  mu6_vv:
    'f^3*(7*f*(1 + 4*n1^3 + n1^2*(2 - 12*n2) + 2*n2 + 2*n2^2 + 4*n2^3 - 2*n1*(-1 + 4*n2 + 6*n2^2))' +
    ' + 2*(26 + 9*n2 + 56*n1^3*n2 - 38*n2^2 + 2*n1^2*(-19 - 18*n2 + 56*n2^2) + n1*(9 - 84*n2 - 36*n2^2 + 56*n2^3)))/112',
  mu6_vd: 'f^3*(2*n1 - 1)*(2*n2 - 1)*(2 + 2*n1^2 + 5*n2 + 2*n2^2 + n1*(5 + 4*n2))/8',
  mu8: 'f^4*(2*n1 - 1)*(2*n2 - 1)*(3 + 4*n1^2 + 8*n2 + 4*n2^2 + 8*n1*(1 + n2))/32',
};

/** IR-off multipole P13 kernels, each multiplying M13 / (1 + 9 nu) (CLASS-PT "FUSED M13 FILL"). */
export const P13_MULTIPOLES: Record<string, string> = {
  '0_vv': '112*3*f^2*(7*(-5 + 3*nu) + 6*f*(-7 + 5*nu))/3920',
  '0_vd': '112*f*(-35 - 18*f + 45*nu + 54*f*nu)/840',
  '0_dd': '1 + 9*nu + 6*f*(1 + nu)',
  '2_vv': '112*3*f^2*(-5 + 3*nu + f*(-6 + 5*nu))/196',
  '2_vd': '112*f*(-49 - 9*f + 63*nu + 108*f*nu)/588',
  '2_dd': '112*3*f*(1 + nu)/28',
  '4_vv': '112*3*f^2*(-55 + 33*nu + f*(-66 + 90*nu))/5390',
  '4_vd': '112*9*f^2*(1 + 2*nu)/245',
};

/** IR-on μ-power P13 kernels, each multiplying M13 / (1 + 9 nu) (CLASS-PT 4031-4037). */
export const P13_MU_POWERS: Record<string, string> = {
  mu0_dd: '1 + 9*nu',
  mu2_dd: '2*9*f*(1 + nu)',
  mu2_vd: '-2*f*(7 + 9*f - 9*nu)',
  mu4_vv: '-3*f^2*(5 + 6*f - 3*nu)',
  mu4_vd: '2*9*f^2*(1 + 2*nu)',
  mu6: '2*9*f^3*nu',
};

/** UV coefficients c(f) of P13UV = -sigma_v^2 k^2 P c(f), IR off (`COMPUTE_P13` calls). */
export const P13_UV_MULTIPOLES: Record<string, string> = {
  '0_vv': 'f^2*(441 + 566*f + 175*f^2)/1225',
  '0_vd': '2*f*(625 + 558*f + 315*f^2)/1575',
  '0_dd': '(61 - 2*f + 35*f^2)/105',
  '2_vv': '2*f^2*(54 + 74*f + 25*f^2)/105',
  '2_vd': '4*f*(175 + 180*f + 126*f^2)/441',
  '2_dd': '2*f*(35*f - 2)/105',
  '4_vv': '24*f^2*(33 + 58*f + 25*f^2)/1925',
  '4_vd': '16*f^2*(22 + 35*f)/1225',
};

/** UV coefficients, IR on (CLASS-PT `_uv_coeff`). */
export const P13_UV_MU_POWERS: Record<string, string> = {
  mu0_dd: '61/105',
  mu2_dd: 'f*(105*f - 6)/105',
  mu2_vd: 'f*(250 + 144*f)/105',
  mu4_vv: 'f^2*(63 + 48*f)/35',
  mu4_vd: 'f^2*(44 + 70*f)/35',
  mu6: 'f^3*(46 + 35*f)/35',
};
