#!/usr/bin/env node
/**
 * The `clax-pt` command line.
 *   clax-pt predict --case FILE     components and spectra for one case in the oracle format (JSON)
 *   clax-pt compute                 spectra for the built-in default cosmology
 */
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`clax-pt: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
