/**
 * The browser bundle (dist/browser/clax-pt.js, built by `npm run build`) imports in headless
 * Chromium with no Node built-ins and no other file than its own chunks and .wasm files, runs
 * on wasm and webgl there, and gives the numbers the Node build gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../src/backend';
import { predictFromCosmology } from '../src/cosmology/end-to-end';
import { openPage, ROOT, type BrowserSession } from '../scripts/chromium';

const DIST = join(ROOT, 'dist', 'browser');
const params = { omega_b: 0.02237, omega_cdm: 0.12, h: 0.6736, 'ln10^{10}A_s': 3.0448, n_s: 0.9649, m_ncdm: 0.06 };
const bias = { b1: 2, b2: -1, bG2: 0.1, bGamma3: -0.1, cs0: 0, cs2: 30, cs4: 0, Pshot: 3000, a0: 0, a2: 0, b4: 10 };
const kOutMpc = [0.01, 0.02, 0.05, 0.1, 0.2];

let s: BrowserSession;
let node: number[];

beforeAll(async () => {
  await useBackend('wasm');
  const r = predictFromCosmology([{ params, z: 0.61, bias }], { kOutMpc, n: 128 });
  node = Array.from(r.spectra.gg_l0!.dataSync());
  r.dispose();
  s = await openPage('tests/browser/bundle.html');
  await s.page.waitForFunction('window.ready === true');
});
afterAll(async () => s?.close());

const rel = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / Math.max(...b.map(Math.abs));

describe('browser bundle', () => {
  it('imports only its own files (no bare or node: specifiers)', () => {
    for (const f of readdirSync(DIST).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(DIST, f), 'utf8');
      const specifiers = [...code.matchAll(/(?:import|export)\s*(?:[^'"]*?from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
      expect(specifiers.filter((x) => !x.startsWith('./')), f).toEqual([]);
      expect(code.includes('from"node:') || code.includes("from'node:") || code.includes('import("node:'), f).toBe(false);
    }
  });

  it('runs on wasm in Chromium, no Node globals, same numbers as the Node build (1e-5)', async () => {
    const r = (await s.page.evaluate('window.run("wasm")')) as { used: string; nodeGlobals: string[]; gg0: number[] };
    expect(r.used).toBe('wasm');
    expect(r.nodeGlobals).toEqual([]);
    const err = rel(r.gg0, node);
    console.log(`browser wasm vs Node wasm, gg_l0: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
    expect(s.errors).toEqual([]);
  });

  it('runs on webgl (SwiftShader) in Chromium', async () => {
    const r = (await s.page.evaluate('window.run("webgl")')) as { used: string; gg0: number[] };
    expect(r.used).toBe('webgl');
    const err = rel(r.gg0, node);
    console.log(`browser webgl vs Node wasm, gg_l0: ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-4);
    expect(s.errors).toEqual([]);
  });
});
