/**
 * Compares our fNL M12 matrices (src/kernels/fnl.ts) with CLASS-PT's.
 *
 *   npx tsx scripts/check-fnl-matrices.ts DIR [--root CLASSPT] [--n 128,256,512]
 *
 * DIR holds CLASS-PT's bundles `M12_bundle_N{N}.bin` / `M12_bundle_N{N}_ortho.bin` (its
 * `pt_matrices/`): 21 blocks of (N+1)(N+2) little-endian doubles in M22 packing, in bundle order.
 * Empty or missing bundles are skipped. With --root (a CLASS-PT checkout) the single-matrix files
 * the bundles were made from are compared as well:
 *   pt_matrices/compute_matrices_python[/<group>]/M12oneline_N{N}-<group>-<name>.txt.dat.bin (equilateral; matter: -matter.dat.bin),
 *   ORTHOGONAL_NG_matrices/computation_of_matrices[/<group>]/M12oneline_N{N}-...-orthogonal.dat.bin,
 *   pt_matrices/M12oneline_N{N}.dat.bin (matrix_gen.py's M12, equilateral matter; an older, less
 *   precise build of the same matrix that CLASS-PT does not load: shown, not counted).
 * The files are read at run time; nothing of them is stored in this repository.
 *
 * Prints, per block, max|ours - theirs| / max|theirs| over complex entries (full matrix), where the
 * worst entry is, and the build time. Exit code 1 if any block exceeds 1e-10.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readDoubles, unpackM22 } from './classpt-files';
import { FNL_BUNDLE, fnlMatrices, type FnlMatrixKey, type FnlTemplate } from '../src/kernels/fnl';
import type { ComplexArray } from '../src/kernels/matrices';

interface Diff {
  maxRel: number;
  row: number;
  col: number;
  maxTheirs: number;
  nonFinite: number;
}

function compare(ours: ComplexArray, theirs: ComplexArray, n: number): Diff {
  let maxTheirs = 0;
  let maxDiff = 0;
  let worst = -1;
  let nonFinite = 0;
  for (let i = 0; i < theirs.re.length; i++) {
    if (!Number.isFinite(ours.re[i]) || !Number.isFinite(ours.im[i])) nonFinite++;
    maxTheirs = Math.max(maxTheirs, Math.hypot(theirs.re[i], theirs.im[i]));
    const d = Math.hypot(ours.re[i] - theirs.re[i], ours.im[i] - theirs.im[i]);
    if (!(d <= maxDiff)) {
      maxDiff = d;
      worst = i;
    }
  }
  return { maxRel: maxDiff / maxTheirs, row: Math.floor(worst / (n + 1)), col: worst % (n + 1), maxTheirs, nonFinite };
}

function singleFile(root: string, template: FnlTemplate, n: number, key: FnlMatrixKey): string {
  const base =
    template === 'equilateral' ? 'pt_matrices/compute_matrices_python' : 'ORTHOGONAL_NG_matrices/computation_of_matrices';
  const suffix = template === 'equilateral' ? '.dat.bin' : '-orthogonal.dat.bin';
  if (key === 'matter') return join(root, base, `M12oneline_N${n}-matter${suffix}`);
  const group = ['matter_multipoles', 'matter_mu_powers', 'bias_real_space', 'bias_multipoles'].find((g) =>
    key.startsWith(g + '_'),
  )!;
  const name = key.slice(group.length + 1);
  return join(root, base, group, `M12oneline_N${n}-${group}-${name}.txt${suffix}`);
}

const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--')));
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!dir) {
  console.error('usage: npx tsx scripts/check-fnl-matrices.ts <dir with M12_bundle_N*.bin> [--root CLASS-PT] [--n 128,256]');
  process.exit(2);
}
const root = opt('--root');
const sizes = (opt('--n') ?? '128,256,512').split(',').map(Number);

let worst = 0;
const report = (label: string, d: Diff, counted = true): void => {
  if (counted) worst = Math.max(worst, d.nonFinite > 0 ? Infinity : d.maxRel);
  console.log(
    `${label.padEnd(58)} ${d.maxRel.toExponential(2)} at [${d.row}][${d.col}]`.padEnd(86) +
      `max|M| ${d.maxTheirs.toExponential(2)}` +
      (d.nonFinite ? `  NON-FINITE ${d.nonFinite}` : '') +
      (counted ? '' : '  (informational)'),
  );
};

for (const n of sizes) {
  const blockSize = (n + 1) * (n + 2);
  for (const template of ['equilateral', 'orthogonal'] as const) {
    const t0 = performance.now();
    const ours = fnlMatrices(n, template);
    const ms = performance.now() - t0;
    console.log(`\n== N = ${n}, ${template}: built 21 matrices in ${ms.toFixed(0)} ms`);
    const bundle = join(dir, `M12_bundle_N${n}${template === 'orthogonal' ? '_ortho' : ''}.bin`);
    const haveBundle = existsSync(bundle) && statSync(bundle).size === 21 * blockSize * 8;
    if (!haveBundle) console.log(`${bundle}: missing or empty, skipped`);
    FNL_BUNDLE.forEach(({ key, bias }, block) => {
      if (haveBundle) {
        const theirs = unpackM22(readDoubles(bundle, block * blockSize, blockSize), n);
        report(`bundle[${String(block).padStart(2)}] ${key} (b=${bias})`, compare(ours[key], theirs, n));
      }
      if (root) {
        const path = singleFile(root, template, n, key);
        if (existsSync(path)) {
          const theirs = unpackM22(readDoubles(path), n);
          report(`  file ${key}`, compare(ours[key], theirs, n));
        } else console.log(`  file ${key}: ${path} missing`);
      }
    });
    if (root && template === 'equilateral') {
      const path = join(root, `pt_matrices/M12oneline_N${n}.dat.bin`);
      // an older float-precision build of the same matter matrix, not used by CLASS-PT: not counted
      if (existsSync(path)) {
        const d = compare(ours.matter, unpackM22(readDoubles(path), n), n);
        report(`  file pt_matrices/M12oneline_N${n} (matrix_gen.py M12)`, d, false);
      }
    }
  }
}
console.log(`\nworst: ${worst.toExponential(2)}`);
process.exitCode = worst < 1e-10 ? 0 : 1;
