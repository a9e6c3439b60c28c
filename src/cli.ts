#!/usr/bin/env node
/**
 * The `clax-pt` command line (clax-pt --help lists the commands):
 *   clax-pt compute [options]          spectra for the default cosmology or for P(k) inputs
 *   clax-pt predict --case FILE        components and spectra for one case in the oracle format
 *   clax-pt plot --out FILE.png        figure of one case, with residuals against CLASS-PT
 */
import { registerTfjsResolveHook } from './cli/node-hooks';

// a closed pipe (`clax-pt compute | head`) is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// before the library (and tfjs-core's gradient files) load: see ./cli/node-hooks.ts
registerTfjsResolveHook();
await import('./platform/node'); // the Node adapter of the core (wasm files, host threads, WebGPU from Dawn)
const { runCli } = await import('./cli/main');

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`clax-pt: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
