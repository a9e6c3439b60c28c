/**
 * Bias-operator kernels of CLASS-PT (`nonlinear_pt_loop`, biased tracers), all on the FFTLog
 * basis b = -1.6000001 and all of the form J(nu1, nu2) * numerator / denominator, where J is
 * CLASS-PT's `M22basic` (./gamma-kernels `j22`). Numerators may contain f (redshift space).
 */

/** FFTLog bias of the bias-operator loops (CLASS-PT `b2 = -1.6000001`). */
export const BIAS_FFTLOG_BIAS = -1.6000001;

export interface KernelFormula {
  numerator: string;
  denominator: string;
}

/**
 * Real-space operators (CLASS-PT 4845-4967, `M_IG2G2`, `M_Id2`, `M_Id2G2`, `M_IG2`; written there
 * with eta = -2 nu). Id2d2 is 2 J: CLASS-PT stores 2 Re(X^T J X).
 */
export const BIAS_REAL_SPACE: Record<string, KernelFormula> = {
  Id2d2: { numerator: '2', denominator: '1' },
  Id2: { numerator: '(3 - 2*n12)*(4 - 7*n12)', denominator: '14*n1*n2' },
  IG2: { numerator: '-(3 - 2*n12)*(1 - 2*n12)*(6 + 7*n12)', denominator: '28*n1*n2*(1 + n1)*(1 + n2)' },
  Id2G2: { numerator: '3 - 2*n12', denominator: 'n1*n2' },
  IG2G2: { numerator: '(3 - 2*n12)*(1 - 2*n12)', denominator: 'n1*n2*(1 + n1)*(1 + n2)' },
};

/** Redshift-space bias multipole kernels (CLASS-PT `FILL_M22_BIAS` calls, 5050-5093). */
export const BIAS_MULTIPOLES: Record<string, KernelFormula> = {
  '0_b1b2': { numerator: '(-3 + 2*n1 + 2*n2)*(-12 + 7*(3 + f)*n1 + 7*(3 + f)*n2)', denominator: '42*n1*n2' },
  '0_b2': {
    numerator:
      '7*f^2*(12 + 6*n1^2 - 17*n2 + 6*n2^2 + n1*(-17 + 12*n2)) + 5*f*(24 + 14*n1^2 - 37*n2 + 14*n2^2 + n1*(-37 + 28*n2))',
    denominator: '210*n1*n2',
  },
  '0_b1bG2': {
    numerator: '(-3 + 2*n1 + 2*n2)*(-1 + 2*n1 + 2*n2)*(7*f*(2 + n1 + n2) + 3*(6 + 7*n1 + 7*n2))',
    denominator: '42*n1*(1 + n1)*n2*(1 + n2)',
  },
  '0_bG2': {
    numerator: '(-3 + 2*n1 + 2*n2)*(-1 + 2*n1 + 2*n2)*(-10*f + 7*f*(5*(n1 + n2) + f*(-2 + 3*n1 + 3*n2)))',
    denominator: '210*n1*(1 + n1)*n2*(1 + n2)',
  },
  '2_b1b2': { numerator: '(-3 + 2*n1 + 2*n2)*f*(n1 + n2)', denominator: '3*n1*n2' },
  '2_b2': { numerator: '(-3 + 2*n1 + 2*n2)*f*(-16 + 14*(n1 + n2) + f*(-13 + 12*(n1 + n2)))', denominator: '42*n1*n2' },
  '2_b1bG2': {
    numerator: '(-3 + 2*n1 + 2*n2)*(-1 + 2*n1 + 2*n2)*f*(2 + n1 + n2)',
    denominator: '3*n1*(1 + n1)*n2*(1 + n2)',
  },
  '2_bG2': {
    numerator: '(-3 + 2*n1 + 2*n2)*(-1 + 2*n1 + 2*n2)*f*(-2 - f + 7*(n1 + n2) + 6*f*(n1 + n2))',
    denominator: '21*n1*(1 + n1)*n2*(1 + n2)',
  },
  '4_b2': { numerator: '(-3 + 2*n1 + 2*n2)*(-1 + 2*n1 + 2*n2)*2*f^2', denominator: '35*n1*n2' },
  '4_bG2': {
    numerator: '(-3 + 2*n1 + 2*n2)*(-1 + 2*n1 + 2*n2)*4*f^2*(1 + n1 + n2)',
    denominator: '35*n1*(1 + n1)*n2*(1 + n2)',
  },
};
