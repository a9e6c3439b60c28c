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
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { biasIFG2, biasJ, matterM13, matterM22, type ComplexArray } from '../src/kernels/matrices';

function readDoubles(path: string): Float64Array {
  const buf = readFileSync(path);
  const out = new Float64Array(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(8 * i);
  return out;
}

/** unpack a CLASS-PT M22-type file into a full row-major (N+1)x(N+1) matrix */
function unpackM22(raw: Float64Array, n: number): ComplexArray {
  const nc = n + 1;
  const half = (nc * (nc + 1)) / 2;
  if (raw.length !== 2 * half) throw new Error(`expected ${2 * half} doubles, got ${raw.length}`);
  const re = new Float64Array(nc * nc);
  const im = new Float64Array(nc * nc);
  let k = 0;
  for (let j = 0; j < nc; j++) {
    for (let i = j; i < nc; i++, k++) {
      re[i * nc + j] = re[j * nc + i] = raw[k];
      im[i * nc + j] = im[j * nc + i] = raw[half + k];
    }
  }
  return { re, im };
}

function unpackM13(raw: Float64Array, n: number): ComplexArray {
  const nc = n + 1;
  if (raw.length !== 2 * nc) throw new Error(`expected ${2 * nc} doubles, got ${raw.length}`);
  return { re: raw.slice(0, nc), im: raw.slice(nc) };
}

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
