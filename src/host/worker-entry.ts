/**
 * The entry URL of a worker thread that lives beside its caller: `<name>.js` next to the tsup
 * bundle; from src/ (tsx, vitest, the benchmarks) a small ESM bootstrap that loads `<name>.ts`
 * through tsx's API (a devDependency). Used by ./host-pool.ts and ../inference/node/parallel.ts.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** `callerUrl`: the caller's import.meta.url; `name`: the worker module's file name without extension, beside it */
export function workerEntry(callerUrl: string, name: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  const tsxApi = createRequire(callerUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs');
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  // tfjs-core's ESM gradient files need the resolve hook of ../cli/node-hooks.ts under plain Node
  const hooks = new URL('../cli/node-hooks.ts', import.meta.url).href;
  const code =
    `import { tsImport } from ${JSON.stringify(pathToFileURL(tsxApi).href)}; ` +
    `const h = await tsImport(${JSON.stringify(hooks)}, ${JSON.stringify(entry)}); h.registerTfjsResolveHook(); ` +
    `await tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}
