/**
 * A target seen from the unconstrained space: log p(x(u)) (+ log|dx/du| when sampling) and its
 * gradient by the chain rule, d/du = (d/dx log p) dx/du (+ d/du log|dx/du|).
 *
 * Points outside the model's domain: a non-finite value or gradient, or a ClaxPtInputError
 * thrown by the target (e.g. an emulator asked outside its training range), give log density
 * -Infinity, which the sampler treats as a divergence (Stan's treatment of a rejected log
 * density). Any other error propagates.
 */
import { isInputError } from '../errors';
import type { Target } from './target';
import { ParameterTransforms } from './transforms';

/** What the sampler and the optimiser need: a log density on R^dim with its gradient. */
export interface GradientDensity {
  readonly dim: number;
  /** log density at u; its gradient into `grad` (zeros when the value is -Infinity) */
  logDensity(u: Float64Array, grad: Float64Array): number;
}

export class UnconstrainedDensity implements GradientDensity {
  readonly dim: number;
  readonly transforms: ParameterTransforms;
  /** number of target evaluations so far */
  evaluations = 0;
  private readonly x: Float64Array;
  private readonly dxdu: Float64Array;

  /** `jacobian`: include log|dx/du| (true for sampling; false for the MAP of p(x)) */
  constructor(
    readonly target: Target,
    readonly jacobian = true,
  ) {
    this.transforms = new ParameterTransforms(target.parameters);
    this.dim = this.transforms.dim;
    this.x = new Float64Array(this.dim);
    this.dxdu = new Float64Array(this.dim);
  }

  logDensity(u: Float64Array, grad: Float64Array): number {
    const n = this.dim;
    this.transforms.toConstrained(u, this.x);
    this.evaluations++;
    let value: number;
    let gx: Float64Array;
    try {
      const r = this.target.logDensity(this.x);
      value = r.value;
      gx = r.gradient;
    } catch (e) {
      if (isInputError(e)) return outside(grad);
      throw e;
    }
    if (value === Infinity) throw new Error(`the target's log density is +Infinity at x = [${Array.from(this.x).join(', ')}] (an improper density)`);
    if (!Number.isFinite(value)) return outside(grad);
    if (gx.length !== n) throw new Error(`the target's gradient has ${gx.length} entries for ${n} parameters`);
    this.transforms.derivative(u, this.dxdu);
    for (let i = 0; i < n; i++) {
      const g = gx[i] * this.dxdu[i];
      if (!Number.isFinite(g)) return outside(grad);
      grad[i] = g;
    }
    if (this.jacobian) value += this.transforms.logJacobian(u, grad);
    return value;
  }

  /** log p(x(u)) without the Jacobian, from a value of logDensity at u (no new evaluation) */
  constrainedLogDensity(u: Float64Array, value: number): number {
    return this.jacobian ? value - this.transforms.logJacobian(u) : value;
  }
}

function outside(grad: Float64Array): number {
  grad.fill(0);
  return -Infinity;
}
