/**
 * `npm run bench:bundle`: packs the benchmark (benchmarks/run.ts and what it runs) into
 * dist/bench so that it runs from a copy of the working tree without node_modules, e.g. on a GPU
 * machine: `node dist/bench/bench.mjs --backend webgpu --json`. Contents: bench.mjs (esbuild
 * bundle: the library, tfjs, its backends), host-worker.js (the host thread), the .wasm files
 * of tfjs-backend-wasm, the fiducial case, and the npm package webgpu (Dawn) for linux-x64 only
 * (its binary is platform-specific; about 21 MB). Prints the total size (the brief: < 64 MiB).
 */
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'bench');
const require = createRequire(import.meta.url);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const common = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node20',
  external: ['webgpu', '@tensorflow/tfjs-node'],
  // the ESM builds: tfjs-backend-cpu's package.json marks its CommonJS build as free of side
  // effects, so esbuild would drop its backend registration
  mainFields: ['module', 'main'],
  // CommonJS dependencies inside an ESM bundle need require, __filename and __dirname
  banner: {
    js:
      "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path';" +
      ' const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);',
  },
  logLevel: 'warning' as const,
};
await build({ ...common, entryPoints: { bench: join(ROOT, 'benchmarks', 'run.ts') }, outdir: OUT, outExtension: { '.js': '.mjs' } });
await build({ ...common, entryPoints: { 'host-worker': join(ROOT, 'src', 'host', 'host-worker.ts') }, outdir: OUT });
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
for (const f of readdirSync(wasmDir)) if (f.endsWith('.wasm')) copyFileSync(join(wasmDir, f), join(OUT, f));
copyFileSync(join(ROOT, 'oracle-data', 'fiducial.json.gz'), join(OUT, 'fiducial.json.gz'));
// the webgpu package (Dawn), linux-x64 binary only
const webgpu = dirname(require.resolve('webgpu/package.json'));
const dst = join(OUT, 'node_modules', 'webgpu');
mkdirSync(join(dst, 'dist'), { recursive: true });
for (const f of ['index.js', 'package.json', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(dst, f));
cpSync(join(webgpu, 'dist', 'linux-x64'), join(dst, 'dist', 'linux-x64'), { recursive: true });
writeFileSync(join(OUT, 'package.json'), JSON.stringify({ type: 'module', private: true }) + '\n');

let total = 0;
const walk = (d: string): void => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    const st = statSync(p);
    if (st.isDirectory()) walk(p);
    else total += st.size;
  }
};
walk(OUT);
console.log(`dist/bench: ${(total / 2 ** 20).toFixed(1)} MiB`);
