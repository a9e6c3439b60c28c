/**
 * `clax-pt predict --grad`: the gradient of S = sum over output k in [0.005, 0.3] h/Mpc of
 * gg_l0 + gg_l2 + gg_l4 ((Mpc/h)^3, with the case's output.bias) with respect to every nuisance
 * parameter, f, hratio, Dratio, rs_drag_Mpc and the input P_lin values, by reverse-mode
 * automatic differentiation through the whole pipeline.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { useBackend } from '../backend';
import { getPlan } from '../plan';
import { computeComponents } from '../compute';
import { pkGgL0, pkGgL2, pkGgL4 } from '../assembly/spectra';
import { caseInputs, type CaseFile, type CaseInputs } from './case-file';

export interface GradientReport {
  S: number;
  wrt: Record<string, number | number[]>;
}

/** The nuisance parameters that gg_l0 + gg_l2 + gg_l4 depend on (classy's lists). */
export const S_PARAMETERS = ['b1', 'b2', 'bG2', 'bGamma3', 'cs0', 'cs2', 'cs4', 'Pshot', 'a0', 'a2', 'b4'];

/** The k window of S, in h/Mpc. */
export const S_WINDOW_HMPC: [number, number] = [0.005, 0.3];

/** Scalars S may depend on, as numbers (for finite differences) or tensors (for gradients). */
export interface SInputs {
  pkMpc3: number[] | tf.Tensor1D;
  f: number | tf.Scalar;
  hratio: number | tf.Scalar;
  Dratio: number | tf.Scalar;
  rsDragMpc: number | tf.Scalar;
  bias: Record<string, number | tf.Scalar>;
}

/**
 * S for one case as a scalar tensor (call inside tf.tidy or a gradient function). `weight`
 * (of k in h/Mpc) replaces S's window indicator, e.g. to build other scalars for tests.
 */
export function sumOfGalaxyMultipoles(
  inputs: CaseInputs,
  x: SInputs,
  weight: (kHMpc: number) => number = (k) => (k >= S_WINDOW_HMPC[0] && k <= S_WINDOW_HMPC[1] ? 1 : 0),
): tf.Scalar {
  const plan = getPlan({ n: inputs.n });
  const h = inputs.h;
  const cosmology = {
    ...inputs.cosmology,
    pkMpc3: x.pkMpc3,
    f: x.f,
    hratio: inputs.options.alcockPaczynski ? x.hratio : undefined,
    Dratio: inputs.options.alcockPaczynski ? x.Dratio : undefined,
    rsDragMpc: inputs.options.irResummation ? x.rsDragMpc : undefined,
  };
  const result = computeComponents(plan, [cosmology], { ...inputs.options, kOutMpc: inputs.kOutMpc });
  const c = result.components;
  const ctx = { h, f: x.f, kOutMpc: inputs.kOutMpc };
  const b = x.bias;
  const common = { b1: b.b1, b2: b.b2, bG2: b.bG2, bGamma3: b.bGamma3, b4: b.b4 };
  const l0 = pkGgL0(c, { ...common, cs0: b.cs0, Pshot: b.Pshot, a0: b.a0, a2: b.a2 }, ctx);
  const l2 = pkGgL2(c, { ...common, cs2: b.cs2, a2: b.a2 }, ctx);
  const l4 = pkGgL4(c, { ...common, cs4: b.cs4 }, ctx);
  const mask = tf.tensor2d(
    Float32Array.from(inputs.kOutMpc, (k) => weight(k / h)),
    [1, inputs.kOutMpc.length],
  );
  return tf.sum(tf.mul(tf.addN([l0, l2, l4]), mask)) as tf.Scalar;
}

/** S and its gradient for one case in the oracle format. */
export async function predictGradient(c: CaseFile, backend?: string): Promise<GradientReport> {
  const inputs = caseInputs(c);
  await useBackend(backend);
  const cosmo = inputs.cosmology;
  // every nuisance parameter of the case; S (galaxy multipoles) does not contain `cs`
  const biasNames = Object.keys(inputs.bias).filter((name) => S_PARAMETERS.includes(name));
  const scalarNames: string[] = ['f'];
  if (inputs.options.alcockPaczynski) scalarNames.push('hratio', 'Dratio');
  if (inputs.options.irResummation) scalarNames.push('rs_drag_Mpc');
  const scalarValue: Record<string, number> = {
    f: cosmo.f as number,
    hratio: (cosmo.hratio as number | undefined) ?? 1,
    Dratio: (cosmo.Dratio as number | undefined) ?? 1,
    rs_drag_Mpc: (cosmo.rsDragMpc as number | undefined) ?? 0,
  };
  const pk = tf.tensor1d(Array.from(cosmo.pkMpc3 as ArrayLike<number>));
  const scalars = scalarNames.map((name) => tf.scalar(scalarValue[name]));
  const params = biasNames.map((name) => tf.scalar(inputs.bias[name]));
  const fn = (...xs: tf.Tensor[]) => {
    const [pkT, ...rest] = xs;
    const byName: Record<string, tf.Scalar> = {};
    scalarNames.forEach((name, i) => (byName[name] = rest[i] as tf.Scalar));
    const bias: Record<string, tf.Scalar> = {};
    biasNames.forEach((name, i) => (bias[name] = rest[scalarNames.length + i] as tf.Scalar));
    return sumOfGalaxyMultipoles(inputs, {
      pkMpc3: pkT as tf.Tensor1D,
      f: byName.f,
      hratio: byName.hratio ?? 1,
      Dratio: byName.Dratio ?? 1,
      rsDragMpc: byName.rs_drag_Mpc ?? scalarValue.rs_drag_Mpc,
      bias,
    });
  };
  const { value, grads } = tf.valueAndGrads(fn)([pk, ...scalars, ...params]);
  const wrt: Record<string, number | number[]> = {};
  for (const name of Object.keys(inputs.bias)) wrt[name] = 0;
  biasNames.forEach((name, i) => (wrt[name] = grads[1 + scalarNames.length + i].dataSync()[0]));
  for (const name of ['f', 'hratio', 'Dratio', 'rs_drag_Mpc']) {
    const i = scalarNames.indexOf(name);
    wrt[name] = i >= 0 ? grads[1 + i].dataSync()[0] : 0;
  }
  wrt.pk_lin_Mpc3 = Array.from(grads[0].dataSync());
  const S = value.dataSync()[0];
  tf.dispose([value, ...grads, pk, ...scalars, ...params]);
  return { S, wrt };
}
