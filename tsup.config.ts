import { defineConfig } from 'tsup';

export default defineConfig({
  // host-worker: the worker thread of src/host/host-pool.ts; chain-worker: the sampler's
  // (src/inference/node/parallel.ts); both loaded beside index.js / cli.js
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'host-worker': 'src/host/host-worker.ts', 'chain-worker': 'src/inference/node/chain-worker.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // tfjs-core's gradient registrations ship only as extensionless ESM files, which Node's ESM
  // loader cannot resolve; bundle them (they register into tfjs-core's global registry).
  noExternal: [/register_all_gradients/],
});
