/**
 * Splitting a stack of rows without tf.unstack: its gradient (a stack of the rows' gradients)
 * fails when some rows receive none, which is the rule for named outputs of which a loss uses a
 * few. Slices of one [S B, N] view give each row as [B, N] in one op (a slice's gradient is a pad).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as own from '../private-ops';

/** The S rows [B, N] of x [S, B, N]. */
export function splitRows(x: tf.Tensor): tf.Tensor2D[] {
  const [S, B, N] = x.shape;
  const flat = tf.reshape(x, [S * B, N]);
  return Array.from({ length: S }, (_, s) => own.slice(flat, [s * B, 0], [B, N]) as tf.Tensor2D);
}
