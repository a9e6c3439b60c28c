/**
 * The host linear stage as one differentiable tfjs op: its forward values come from the float64
 * host computation (./linear-stage), its gradient from the float64 vector-Jacobian product of
 * ../ir/linear-stage-vjp (exact: every step is linear or elementwise). Inputs: r_s,drag [B], h [B]
 * (through the h-dependent grids: FFTLog nodes h q_j and the Sigma^2 range 0.2 h, ../ir/grid-scale-tangent)
 * and each cosmology's P_lin values; outputs P_nw, P_w, P_bin, P_tree on the FFTLog grid ([B, N])
 * and sigma_v^2, Sigma^2, delta Sigma^2 ([B]).
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from '../readback';
import * as own from '../private-ops';
import { linearStageVjp } from '../ir/linear-stage-vjp';
import type { LinearStage, LinearStageOptions } from './linear-stage';

export interface LinearTensors {
  pNoWiggle: tf.Tensor2D;
  pWiggle: tf.Tensor2D;
  pBin: tf.Tensor2D;
  pTree: tf.Tensor2D;
  sigmaV2: tf.Tensor1D;
  sigma2Bao: tf.Tensor1D;
  deltaSigma2Bao: tf.Tensor1D;
  /**
   * h / h_host per cosmology ([B], value exactly 1) when h was given as a tensor: every power of
   * the grid k (k_j = h q_j) and every k^2 of a damping exponent is multiplied by its power, so
   * that d/dh reaches them (../loops/matter-real.ts gridPowers). Absent when h is a number.
   */
  gridScale?: tf.Tensor1D;
}

const FIELDS = ['pNoWiggle', 'pWiggle', 'pBin', 'pTree'] as const;

/**
 * Wraps an already computed host stage as tensors connected to `pk` (one [nIn_b] tensor per
 * cosmology) and `rsDrag` ([B]) for reverse-mode differentiation.
 */
export function linearStageTensors(
  stage: LinearStage,
  options: LinearStageOptions,
  pk: tf.Tensor1D[],
  rsDrag: tf.Tensor1D,
  h?: tf.Tensor1D,
): LinearTensors {
  const B = stage.pBin.length;
  const n = stage.pBin[0].length;
  const width = 4 * n + 3;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const packed = new Float32Array(B * width);
    for (let b = 0; b < B; b++) {
      FIELDS.forEach((field, f) => packed.set(stage[field][b], b * width + f * n));
      packed[b * width + 4 * n] = stage.sigmaV2[b];
      packed[b * width + 4 * n + 1] = stage.sigma2Bao[b];
      packed[b * width + 4 * n + 2] = stage.deltaSigma2Bao[b];
    }
    void args;
    return {
      value: tf.tensor2d(packed, [B, width]),
      gradFunc: (dy: tf.Tensor) => {
        const g = readSync(dy, 'linear stage (reverse)');
        const gRs = new Float32Array(B);
        const gH = new Float32Array(B);
        const gPk: tf.Tensor[] = [];
        for (let b = 0; b < B; b++) {
          const row = (f: number) => Float64Array.from(g.subarray(b * width + f * n, b * width + (f + 1) * n));
          const res = linearStageVjp(
            {
              input: stage.inputs[b],
              kGridMpc: stage.gridKMpc[b],
              h: stage.h[b],
              rsDragMpc: stage.rsDragMpc[b],
              irResummation: options.irResummation ?? true,
              alphaRs: options.alphaRs ?? 1,
              noWiggle: options.noWiggle ?? false,
              noWiggleDst: stage.noWiggleDst?.[b],
            },
            {
              pNoWiggle: row(0),
              pWiggle: row(1),
              pBin: row(2),
              pTree: row(3),
              sigmaV2: g[b * width + 4 * n],
              sigma2Bao: g[b * width + 4 * n + 1],
              deltaSigma2Bao: g[b * width + 4 * n + 2],
            },
            { h: h !== undefined },
          );
          gRs[b] = res.rsDragMpc;
          gH[b] = res.h ?? 0;
          gPk.push(tf.tensor1d(Float32Array.from(res.pkMpc3)));
        }
        return [tf.tensor1d(gRs), tf.tensor1d(gH), ...gPk];
      },
    };
  });
  const hIn = h ?? tf.tensor1d(Float32Array.from(stage.h));
  const packed = op(rsDrag, hIn, ...pk) as tf.Tensor2D;
  const field = (f: number) => own.slice(packed, [0, f * n], [B, n]) as tf.Tensor2D;
  const scalar = (i: number) => tf.reshape(own.slice(packed, [0, 4 * n + i], [B, 1]), [B]) as tf.Tensor1D;
  return {
    pNoWiggle: field(0),
    pWiggle: field(1),
    pBin: field(2),
    pTree: field(3),
    sigmaV2: scalar(0),
    sigma2Bao: scalar(1),
    deltaSigma2Bao: scalar(2),
    gridScale: h ? (tf.div(h, tf.tensor1d(Float32Array.from(stage.h))) as tf.Tensor1D) : undefined,
  };
}
