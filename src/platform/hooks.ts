/**
 * What the core needs from its platform, supplied by an adapter: ./node.ts under Node (the Node
 * build's entry imports it), nothing in a browser (the defaults below). The core itself imports
 * no Node module.
 */
export interface PlatformHooks {
  /** folder (URL or path, ending in '/') of tfjs-backend-wasm's .wasm files; undefined: tfjs's default */
  wasmPaths?: () => string | undefined;
  /**
   * Makes WebGPU available before @tensorflow/tfjs-backend-webgpu is imported (Node: Dawn, the
   * npm package `webgpu`) and registers the 'webgpu' backend; throws with the reason if it cannot.
   */
  prepareWebGpu?: () => Promise<void>;
  /** a short name of the platform, for messages */
  name: string;
}

let hooks: PlatformHooks = { name: 'browser' };

export function setPlatformHooks(h: PlatformHooks): void {
  hooks = h;
}

export function platformHooks(): PlatformHooks {
  return hooks;
}

/** An environment variable where the platform has them (Node's process.env), else undefined. */
export function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.[name];
}
