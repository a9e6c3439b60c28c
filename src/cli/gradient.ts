/**
 * `clax-pt predict --grad`: the gradient of S = sum over output k in [0.005, 0.3] h/Mpc of
 * gg_l0 + gg_l2 + gg_l4 ((Mpc/h)^3, with the case's output.bias) with respect to every nuisance
 * parameter, f, hratio, Dratio, rs_drag_Mpc and the input P_lin values.
 */
import type { CaseFile } from './case-file';

export interface GradientReport {
  S: number;
  wrt: Record<string, number | number[]>;
}

export async function predictGradient(c: CaseFile, backend?: string): Promise<GradientReport> {
  void c;
  void backend;
  throw new Error('--grad is not implemented yet');
}
