import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';

const require = createRequire(import.meta.url);

export default defineConfig([
  {
    // The Node build: the library with its Node adapter (src/node.ts), the CLI, the host
    // worker thread of src/host/node-pool.ts and the sampler's chain worker
    // (src/inference/node/parallel.ts), both loaded beside index.js / cli.js.
    entry: { index: 'src/node.ts', cli: 'src/cli.ts', 'host-worker': 'src/host/host-worker.ts', 'chain-worker': 'src/inference/node/chain-worker.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/node.ts' } },
    sourcemap: true,
    clean: ['*.js', '*.js.map', '*.d.ts'], // not dist/browser (the second build's)
    target: 'node20',
    // tfjs-core's gradient registrations ship only as extensionless ESM files, which Node's ESM
    // loader cannot resolve; bundle them (they register into tfjs-core's global registry).
    noExternal: [/register_all_gradients/],
  },
  {
    // The browser bundle: one ESM file with every dependency (tfjs included; the backends in
    // chunks loaded on demand) and tfjs-backend-wasm's .wasm files beside it. No CDN, no Node.
    entry: { 'clax-pt': 'src/browser.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    sourcemap: false,
    minify: true,
    clean: true,
    dts: false,
    noExternal: [/.*/],
    onSuccess: async () => {
      const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
      mkdirSync('dist/browser', { recursive: true });
      for (const f of readdirSync(wasmDir)) if (f.endsWith('.wasm')) copyFileSync(join(wasmDir, f), join('dist/browser', f));
    },
  },
]);
