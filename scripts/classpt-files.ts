/**
 * Reading CLASS-PT's matrix files for the check scripts (the files are read at run time; nothing
 * of them is stored in this repository). Packing (CLASS-PT `init`): M22-type blocks hold
 * (N+1)(N+2)/2 real parts then as many imaginary parts, lower triangle column by column
 * (`for j: for i >= j: M[i][j]`); M13-type files hold N+1 real parts then N+1 imaginary parts.
 */
import { readFileSync } from 'node:fs';
import type { ComplexArray } from '../src/kernels/matrices';

/** Little-endian doubles of a file, from `offset` (in doubles), `count` of them (default: the rest). */
export function readDoubles(path: string, offset = 0, count?: number): Float64Array {
  const buf = readFileSync(path);
  const n = count ?? (buf.length - 8 * offset) / 8;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = buf.readDoubleLE(8 * (offset + i));
  return out;
}

/** CLASS-PT M22 packing -> full row-major (N+1)x(N+1) matrix (lower triangle mirrored, as the C code does). */
export function unpackM22(raw: Float64Array, n: number): ComplexArray {
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

/** CLASS-PT M13 packing -> complex vector of N+1 entries. */
export function unpackM13(raw: Float64Array, n: number): ComplexArray {
  const nc = n + 1;
  if (raw.length !== 2 * nc) throw new Error(`expected ${2 * nc} doubles, got ${raw.length}`);
  return { re: raw.slice(0, nc), im: raw.slice(nc) };
}
