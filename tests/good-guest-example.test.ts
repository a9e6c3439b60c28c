/**
 * examples/good-guest.mjs, a user's script outside the project: it imports the built library
 * (dist/index.js) next to its own tfjs model and checks that stock kernels, earlier gradient
 * registrations and the model's results are untouched (npm run build first; CI's npm ci does).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

describe('examples/good-guest.mjs', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`${backend}: the library leaves the user's tfjs untouched`, () => {
      const r = spawnSync(process.execPath, [join(ROOT, 'examples', 'good-guest.mjs'), backend], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(r.stdout).toMatch(/good guest: stock kernels, gradients and the user model untouched/);
      if (backend === 'wasm') expect(r.stdout).toMatch(/own names\): ClaxQuadraticForms.*ClaxSlice, ClaxBatchMatMul, ClaxMultiply/);
    });
  }
});
