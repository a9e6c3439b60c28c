#!/usr/bin/env node
/**
 * The `clax-pt` command line.
 *   clax-pt predict --case FILE     components and spectra for one case in the oracle format (JSON)
 *   clax-pt compute                 spectra for the built-in default cosmology
 */
import { runCli } from './cli/main';

// a closed pipe (`clax-pt compute | head`) is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`clax-pt: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
