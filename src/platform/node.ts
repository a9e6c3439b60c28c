/**
 * The Node adapter: installs what the core (which imports no Node module) needs under Node.
 * Imported by the Node build's entry (../node.ts), the CLI, the tests' setup and the benchmarks.
 *
 * - tfjs-backend-wasm's .wasm files: beside the package's main file in node_modules, or beside
 *   this module when it is bundled with them (the benchmark bundle, dist/bench).
 * - the host jobs on two threads (worker_threads, ../host/node-pool.ts).
 * - the sampler's built-in target module 'likelihood' (it reads data files).
 * - WebGPU from the npm package `webgpu` (Dawn): its classes are made global and navigator.gpu
 *   defined (only where absent) before @tensorflow/tfjs-backend-webgpu is imported, and the
 *   'webgpu' backend is registered on a Dawn adapter: the platform's default (Vulkan, Metal,
 *   D3D12: a real GPU), else Dawn's OpenGL backend in compatibility mode, which runs on Mesa's
 *   software rasteriser on machines without a GPU (EGL_PLATFORM=surfaceless is set for it when
 *   unset: no display is needed). CLAX_PT_DAWN passes options to Dawn (comma-separated, e.g.
 *   `backend=vulkan`; then only that adapter is tried).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { setPlatformHooks, envVar } from './hooks';
import { setHostJobRunner } from '../host/host-pool';
import { runHostJobsOnThreads } from '../host/node-pool';
import { registerTargetModule } from '../inference/target-loader';

const require = createRequire(import.meta.url);

interface DawnModule {
  create(options: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface AdapterLike {
  info?: unknown;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: object): Promise<unknown>;
}
interface GpuLike {
  requestAdapter(options?: object): Promise<AdapterLike | null>;
}

let webgpuReady: Promise<void> | null = null;
/** which Dawn adapter the webgpu backend runs on (for messages and benchmarks) */
export let dawnAdapter = '';

async function findAdapter(dawn: DawnModule): Promise<{ gpu: GpuLike; adapter: AdapterLike; label: string }> {
  const tried: string[] = [];
  const userOptions = (envVar('CLAX_PT_DAWN') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const attempts: { options: string[]; request: object; label: string }[] = userOptions.length
    ? [{ options: userOptions, request: {}, label: userOptions.join(',') }, { options: userOptions, request: { featureLevel: 'compatibility' }, label: `${userOptions.join(',')} (compatibility)` }]
    : [
        { options: [], request: {}, label: 'default adapter' },
        { options: ['backend=opengl'], request: { featureLevel: 'compatibility' }, label: 'OpenGL (compatibility mode)' },
      ];
  for (const a of attempts) {
    if (a.options.includes('backend=opengl') || a.options.includes('backend=opengles')) {
      // EGL without a display (Mesa): must be in the environment before Dawn opens EGL
      if (process.env.EGL_PLATFORM === undefined) process.env.EGL_PLATFORM = 'surfaceless';
    }
    try {
      const gpu = dawn.create(a.options);
      const adapter = await gpu.requestAdapter(a.request);
      if (adapter) return { gpu, adapter, label: a.label };
      tried.push(`${a.label}: none`);
    } catch (e) {
      tried.push(`${a.label}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no WebGPU adapter from Dawn (tried ${tried.join('; ')}); without a GPU, Mesa's drivers are needed (Debian: apt-get install mesa-vulkan-drivers libegl1 libgles2)`);
}

async function prepareWebGpu(): Promise<void> {
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (e) {
    throw new Error(`under Node, WebGPU needs the npm package webgpu (Dawn), which did not load (${(e as Error).message})`);
  }
  const { gpu, adapter, label } = await findAdapter(dawn);
  const g = globalThis as Record<string, unknown> & { navigator?: { gpu?: unknown } };
  for (const [name, value] of Object.entries(dawn.globals)) if (!(name in g)) g[name] = value;
  if (!g.navigator) g.navigator = { gpu };
  else if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const webgpu = await import('@tensorflow/tfjs-backend-webgpu');
  // the package registered 'webgpu' on navigator.gpu's default adapter; use the one found above
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    const limits = adapter.limits;
    const requiredLimits: Record<string, number> = {};
    // tfjs's choice of limits, and as many storage buffers per stage as the adapter allows
    for (const k of ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage']) {
      if (limits[k] !== undefined) requiredLimits[k] = limits[k];
    }
    const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
    return new webgpu.WebGPUBackend(device as never, adapter.info as never);
  });
  dawnAdapter = label;
}

setPlatformHooks({
  name: 'node',
  wasmPaths: () => {
    const here = dirname(fileURLToPath(import.meta.url));
    if (existsSync(join(here, 'tfjs-backend-wasm-simd.wasm'))) return here + '/';
    return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/';
  },
  prepareWebGpu: () => (webgpuReady ??= prepareWebGpu().catch((e) => {
    webgpuReady = null;
    throw e;
  })),
});
setHostJobRunner(runHostJobsOnThreads);
// the likelihood as a sampler target reads its data files (Node only)
registerTargetModule('likelihood', () => import('../likelihood/target'));
