/**
 * Compares our analytic FFTLog kernel matrices with CLASS-PT's shipped `pt_matrices/*.dat.bin`.
 *
 *   npx tsx scripts/check-matrices.ts /path/to/CLASS-PT/pt_matrices
 *
 * Reads the files at run time (nothing of them is stored here) and prints, per file,
 * max_i |ours_i - theirs_i| / max_i |theirs_i| over complex entries, plus the build time.
 * Packing (CLASS-PT `init`): M22-type files hold (N+1)(N+2)/2 real parts then as many imaginary
 * parts, lower triangle column by column (`for j: for i >= j: M[i][j]`); M13-type files hold N+1
 * real parts then N+1 imaginary parts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDoubles, unpackM13, unpackM22 } from './classpt-files';
import { biasIFG2, biasJ, matterM13, matterM22, type ComplexArray } from '../src/kernels/matrices';

interface Diff {
  maxRel: number;
  worstIndex: number;
  maxTheirs: number;
  nonFinite: number;
}

function compare(ours: ComplexArray, theirs: ComplexArray): Diff {
  let maxTheirs = 0;
  let maxDiff = 0;
  let worstIndex = -1;
  let nonFinite = 0;
  for (let i = 0; i < theirs.re.length; i++) {
    if (!Number.isFinite(ours.re[i]) || !Number.isFinite(ours.im[i])) nonFinite++;
    maxTheirs = Math.max(maxTheirs, Math.hypot(theirs.re[i], theirs.im[i]));
    const d = Math.hypot(ours.re[i] - theirs.re[i], ours.im[i] - theirs.im[i]);
    if (d > maxDiff) {
      maxDiff = d;
      worstIndex = i;
    }
  }
  return { maxRel: maxDiff / maxTheirs, worstIndex, maxTheirs, nonFinite };
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/check-matrices.ts <CLASS-PT pt_matrices directory>');
  process.exit(2);
}

const cases: { file: (n: number) => string; kind: 'M22' | 'M13'; build: (n: number) => ComplexArray }[] = [
  { file: (n) => `M22oneline_N${n}${n === 256 ? '_packed' : ''}.dat.bin`, kind: 'M22', build: matterM22 },
  { file: (n) => `M22basiconeline_N${n}${n === 256 ? '_packed' : ''}.dat.bin`, kind: 'M22', build: biasJ },
  { file: (n) => `M13oneline_N${n}.dat.bin`, kind: 'M13', build: matterM13 },
  { file: (n) => `IFG2oneline_N${n}.dat.bin`, kind: 'M13', build: biasIFG2 },
];

let worst = 0;
for (const n of [128, 256, 512]) {
  for (const c of cases) {
    const name = c.file(n);
    const path = join(dir, name);
    if (!existsSync(path)) {
      console.log(`${name.padEnd(40)} missing`);
      continue;
    }
    const raw = readDoubles(path);
    const theirs = c.kind === 'M22' ? unpackM22(raw, n) : unpackM13(raw, n);
    const t0 = performance.now();
    const ours = c.build(n);
    const ms = performance.now() - t0;
    const d = compare(ours, theirs);
    worst = Math.max(worst, d.maxRel);
    const where =
      c.kind === 'M22' ? `[${Math.floor(d.worstIndex / (n + 1))}][${d.worstIndex % (n + 1)}]` : `[${d.worstIndex}]`;
    console.log(
      `${name.padEnd(40)} max rel diff ${d.maxRel.toExponential(2)} at ${where.padEnd(11)}` +
        ` max|M| ${d.maxTheirs.toExponential(3)}  non-finite ${d.nonFinite}  build ${ms.toFixed(0)} ms`,
    );
  }
}
console.log(`worst: ${worst.toExponential(2)}`);
process.exitCode = worst < 1e-10 ? 0 : 1;
