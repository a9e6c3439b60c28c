/**
 * The kernel matrices against CLASS-PT's own files, where a CLASS-PT checkout is at hand:
 * `CLASSPT_DIR` (a checkout or build of github:Michalychforever/CLASS-PT), else
 * ../classpt-build/CLASS-PT beside this repository (what ../shared/tools/build-classpt.sh makes).
 * Without one the tests are skipped (and say so). The files are read at run time; nothing of
 * them is stored here. Runs scripts/check-matrices.ts (M22, J, M13, IFG2 for N = 128, 256, 512)
 * and scripts/check-fnl-matrices.ts (the 42 M12 blocks of the fNL templates, every N whose
 * bundles the checkout holds, and the single-matrix files they were made from).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expectWithinBound } from './bounds';

const ROOT = join(__dirname, '..');
const CANDIDATES = [process.env.CLASSPT_DIR, join(ROOT, '..', 'classpt-build', 'CLASS-PT')].filter((d): d is string => !!d);
const CLASSPT = CANDIDATES.find((d) => existsSync(join(d, 'pt_matrices')));

function worstOf(script: string, args: string[]): { worst: number; out: string } {
  const r = spawnSync('npx', ['tsx', join(ROOT, 'scripts', script), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  const m = /worst: (\S+)/.exec(r.stdout);
  expect(m, `${script}: ${r.stderr.slice(-1000)}`).not.toBeNull();
  return { worst: Number(m![1]), out: r.stdout };
}

describe.skipIf(!CLASSPT)(`kernel matrices vs CLASS-PT's files (${CLASSPT ?? 'no CLASS-PT checkout: set CLASSPT_DIR'})`, () => {
  it('M22, J (M22basic), M13, IFG2 for N = 128, 256, 512', (ctx) => {
    const { worst, out } = worstOf('check-matrices.ts', [join(CLASSPT!, 'pt_matrices')]);
    const compared = out.split('\n').filter((l) => l.includes('max rel diff')).length;
    expect(compared, out).toBeGreaterThanOrEqual(4);
    expectWithinBound(ctx, "kernel matrices vs CLASS-PT's files (M22, J, M13, IFG2)", worst, `${compared} files`);
  });

  it('the fNL M12 blocks (both templates)', (ctx) => {
    const { worst, out } = worstOf('check-fnl-matrices.ts', [join(CLASSPT!, 'pt_matrices'), '--root', CLASSPT!]);
    const compared = out.split('\n').filter((l) => /^(bundle\[|  file )/.test(l) && !l.includes('missing') && !l.includes('informational')).length;
    expect(compared, out).toBeGreaterThanOrEqual(21);
    expectWithinBound(ctx, "fNL M12 matrices vs CLASS-PT's files", worst, `${compared} blocks and files`);
  });
});

it.runIf(!CLASSPT)('kernel matrices vs CLASS-PT: skipped, no CLASS-PT checkout (set CLASSPT_DIR)', () => {
  expect(CLASSPT).toBeUndefined();
});
