/**
 * Up-front validation of computeComponents' arguments: everything is checked before any
 * computation, and the first problem is thrown as a ClaxPtInputError naming the argument
 * (`cosmologies[2].h`, `kMpc[5]`, `kOutMpc[0][12]`, ...; the `cosmologies[b].` prefix only for
 * batches of more than one).
 */
import * as tf from '@tensorflow/tfjs-core';
import { readSync } from './readback';
import { ClaxPtInputError } from './errors';
import { fftlogGrid } from './fftlog/grid';
import { validateLinearPower } from './input/linear-power';
import { amplitudeOf, checkScalar, hostValue, tiltOf, type CosmologyInput } from './input/linear-stage';
import type { ComputeOptions } from './compute';

function scalarOf(name: string, x: unknown): unknown {
  if (x instanceof tf.Tensor) {
    if (x.size !== 1) throw new ClaxPtInputError(name, `expected a number or a one-element tensor, got shape [${x.shape.join(', ')}]`);
    return hostValue(x);
  }
  return x;
}

/** The option names computeComponents understands (anything else is refused: a typo would otherwise be ignored). */
export const COMPUTE_OPTION_NAMES = new Set([
  'kOutMpc', 'kOutHMpc', 'irResummation', 'noWiggle', 'alphaRs', 'redshiftSpace', 'alcockPaczynski', 'biasedTracers',
  'primordialNonGaussianity', 'components', 'profile',
]);

/** Throws a ClaxPtInputError for the first unusable argument of computeComponents(plan of size n, ...). */
export function validateComputeInputs(n: number, cosmologies: CosmologyInput[], options: ComputeOptions): void {
  if (!Array.isArray(cosmologies) || cosmologies.length === 0) {
    throw new ClaxPtInputError('cosmologies', 'expected a non-empty array of cosmologies');
  }
  if (options === null || typeof options !== 'object') throw new ClaxPtInputError('options', 'expected an object with kOutMpc');
  for (const key of Object.keys(options)) {
    if (!COMPUTE_OPTION_NAMES.has(key)) {
      throw new ClaxPtInputError(`options.${key}`, `unknown option (known: ${[...COMPUTE_OPTION_NAMES].join(', ')})`);
    }
  }
  if (options.components !== undefined && options.components !== 'all' && options.components !== 'spectra') {
    throw new ClaxPtInputError('options.components', `must be 'all' or 'spectra', got ${JSON.stringify(options.components)}`);
  }
  const B = cosmologies.length;
  const ir = options.irResummation ?? true;
  const rsd = options.redshiftSpace ?? true;
  const ap = options.alcockPaczynski ?? true;
  checkScalar('alphaRs', options.alphaRs ?? 1, true);

  // output k: one shared array or one per cosmology, all of one length; in 1/Mpc or in h/Mpc
  const hUnits = options.kOutHMpc !== undefined;
  if (hUnits && options.kOutMpc !== undefined) {
    throw new ClaxPtInputError('kOutHMpc', 'give the output k either in 1/Mpc (kOutMpc) or in h/Mpc (kOutHMpc), not both');
  }
  const kField = hUnits ? 'kOutHMpc' : 'kOutMpc';
  const kOut = hUnits ? options.kOutHMpc : options.kOutMpc;
  if (kOut === undefined || kOut === null || typeof (kOut as ArrayLike<unknown>).length !== 'number') {
    throw new ClaxPtInputError('kOutMpc', 'missing (the output wavenumbers: kOutMpc in 1/Mpc, or kOutHMpc in h/Mpc)');
  }
  const nested = kOut.length > 0 && typeof (kOut as ArrayLike<unknown>)[0] !== 'number';
  const rows = nested ? Array.from(kOut as ArrayLike<ArrayLike<number>>) : cosmologies.map(() => kOut as ArrayLike<number>);
  if (rows.length !== B) throw new ClaxPtInputError(kField, `got ${rows.length} arrays for a batch of ${B} cosmologies`);
  const kName = (b: number) => (nested ? `${kField}[${b}]` : kField);
  rows.forEach((row, b) => {
    if (row.length === 0) throw new ClaxPtInputError(kName(b), 'empty');
    if (row.length !== rows[0].length) throw new ClaxPtInputError(kName(b), `has ${row.length} values but ${kName(0)} has ${rows[0].length}`);
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        throw new ClaxPtInputError(`${kName(b)}[${i}]`, `must be a positive finite number, got ${String(v)}`);
      }
    }
  });

  cosmologies.forEach((c, b) => {
    const where = B > 1 ? `cosmologies[${b}].` : '';
    if (c === null || typeof c !== 'object') throw new ClaxPtInputError(`cosmologies[${b}]`, 'expected an object');
    const h = checkScalar(`${where}h`, scalarOf(`${where}h`, c.h), true);
    const nS = checkScalar(`${where}n_s`, tiltOf(c), false);
    if (c.kMpc === undefined || c.kMpc === null) throw new ClaxPtInputError(`${where}kMpc`, 'missing');
    if (c.pkMpc3 === undefined || c.pkMpc3 === null) throw new ClaxPtInputError(`${where}pkMpc3`, 'missing');
    const pk = c.pkMpc3 instanceof tf.Tensor ? Float64Array.from(readSync(c.pkMpc3, 'pkMpc3')) : Float64Array.from(c.pkMpc3);
    validateLinearPower({ kMpc: Float64Array.from(c.kMpc), pkMpc3: pk, nS }, where);
    if (ir) checkScalar(`${where}rsDragMpc`, scalarOf(`${where}rsDragMpc`, c.rsDragMpc), true);
    if (rsd) {
      const f = scalarOf(`${where}f`, c.f);
      if (f === undefined || f === null) throw new ClaxPtInputError(`${where}f`, 'missing (the growth rate is needed for redshift space)');
      if (typeof f !== 'number' || !Number.isFinite(f) || f < 0) {
        throw new ClaxPtInputError(`${where}f`, `must be a non-negative finite number, got ${String(f)}`);
      }
      if (ap) {
        checkScalar(`${where}hratio`, scalarOf(`${where}hratio`, c.hratio), true);
        checkScalar(`${where}Dratio`, scalarOf(`${where}Dratio`, c.Dratio), true);
      }
    }
    if (options.primordialNonGaussianity) checkScalar(`${where}A_s`, scalarOf(`${where}A_s`, amplitudeOf(c)), true);
    const grid = fftlogGrid(n, h).kMpc;
    const lo = hUnits ? grid[0] / h : grid[0];
    const hi = hUnits ? grid[grid.length - 1] / h : grid[grid.length - 1];
    const unit = hUnits ? 'h/Mpc' : '1/Mpc';
    const row = rows[b];
    for (let i = 0; i < row.length; i++) {
      if (row[i] < lo || row[i] > hi) {
        throw new ClaxPtInputError(
          `${kName(b)}[${i}]`,
          `${row[i]} ${unit} lies outside the FFTLog range [${lo.toPrecision(6)}, ${hi.toPrecision(6)}] ${unit} (5e-5 h to 100 h)`,
        );
      }
    }
  });
}
