/**
 * The gradient registrations that exist before ../gradients.ts registers tfjs-core's stock
 * gradients (a user's own, or tfjs's from the user's import): kept, so that importing this
 * library replaces none of them. tfjs keeps its gradient registry in a global Map
 * (`_tfGlobals.gradRegistry`, tfjs-core 4.x); read only here, written through tf.registerGradient.
 */
import * as tf from '@tensorflow/tfjs-core';

type Registry = Map<string, tf.GradConfig>;

function registry(): Registry | undefined {
  return (globalThis as { _tfGlobals?: Map<string, unknown> })._tfGlobals?.get('gradRegistry') as Registry | undefined;
}

const before: Registry = new Map(registry() ?? []);

/** Puts back every registration that existed before (a no-op where nothing changed). */
export function keepEarlierGradients(): void {
  const now = registry();
  for (const [name, config] of before) if (now?.get(name) !== config) tf.registerGradient(config);
}
