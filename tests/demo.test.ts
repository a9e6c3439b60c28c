/**
 * The live page (`npm run demo`, demo/) in headless Chromium: it loads without console errors,
 * its numbers equal predictFromCosmology in Node (1e-5), moving a slider changes the curves,
 * a P_l file in the BOSS layout is overplotted, and a screenshot is kept as a test artifact
 * (test-artifacts/demo.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useBackend } from '../src/backend';
import { predictFromCosmology } from '../src/cosmology/end-to-end';
import { buildDemo } from '../scripts/demo';
import { openPage, ROOT, type BrowserSession } from '../scripts/chromium';

let s: BrowserSession;

/** The page's numbers: its table #values, as printed (9 significant digits). */
async function pageNumbers(): Promise<number[][]> {
  return s.page.$$eval('#values tr', (rows) => rows.slice(1).map((r) => Array.from(r.querySelectorAll('td'), (td) => Number((td as { textContent: string }).textContent))));
}
async function waitForUpdates(n: number): Promise<void> {
  await s.page.waitForFunction(`Number(document.body.dataset.updates ?? 0) >= ${n}`, { timeout: 300_000, polling: 100 });
}
const pageState = () => s.page.evaluate(() => (globalThis as unknown as { demo: { state: { values: Record<string, number>; ms: number } } }).demo.state);

beforeAll(async () => {
  const out = buildDemo();
  s = await openPage('index.html', out);
  await waitForUpdates(1);
  await useBackend('wasm');
}, 600_000);
afterAll(async () => s?.close());

describe('demo page', () => {
  it('loads and draws without console errors', async () => {
    expect(await s.page.$eval('#status', (e) => e.textContent)).toMatch(/^wasm: \d+ ms per update/);
    expect(s.errors).toEqual([]);
  });

  it('shows the numbers predictFromCosmology gives in Node (1e-5)', async () => {
    const st = await pageState();
    const v = st.values;
    const names = ['omega_b', 'omega_cdm', 'h', 'ln10^{10}A_s', 'n_s', 'm_ncdm'];
    const bias = Object.fromEntries(['b1', 'b2', 'bG2', 'bGamma3', 'cs', 'cs0', 'cs2', 'cs4', 'b4', 'Pshot', 'a0', 'a2'].map((n) => [n, v[n]]));
    const rows = await pageNumbers();
    const kOutMpc = rows.map((r) => r[0] * v.h);
    const params = Object.fromEntries(names.map((n) => [n, v[n]])) as Parameters<typeof predictFromCosmology>[0][0]['params'];
    const r = predictFromCosmology([{ params, z: v.z, bias }], { kOutMpc, omfid: 0.31, only: ['gg_l0', 'gg_l2', 'gg_l4', 'gg_real'], components: 'spectra' });
    let worst = 0;
    ['gg_l0', 'gg_l2', 'gg_l4', 'gg_real'].forEach((name, j) => {
      const node = Array.from(r.spectra[name as 'gg_l0']!.dataSync());
      const scale = Math.max(...node.map(Math.abs));
      rows.forEach((row, i) => (worst = Math.max(worst, Math.abs(row[j + 1] - node[i]) / scale)));
    });
    r.dispose();
    console.log(`demo page vs Node predictFromCosmology: ${worst.toExponential(2)}; ${st.ms.toFixed(0)} ms per update (wasm, headless Chromium)`);
    expect(worst).toBeLessThan(1e-5);
  });

  it('moving a slider changes the curves; a BOSS-layout file is overplotted; screenshot', async () => {
    const before = await pageNumbers();
    const n = Number(await s.page.evaluate('document.body.dataset.updates'));
    await s.page.evaluate(`(() => { const e = document.getElementById('s-omega_cdm'); e.value = '0.13'; e.dispatchEvent(new Event('input', { bubbles: true })); })()`);
    await waitForUpdates(n + 1);
    const after = await pageNumbers();
    const changed = after.filter((row, i) => row.some((x, j) => j > 0 && Math.abs(x - before[i][j]) > 1e-6 * Math.abs(before[i][j]))).length;
    expect(changed).toBeGreaterThan(after.length / 2);
    console.log(`after a slider move: ${(await pageState()).ms.toFixed(0)} ms per update (wasm, headless Chromium)`);
    // a mock data file in the BOSS layout (k, P0, P2, P4), made from the page's own curves
    const text = after.filter((_, i) => i % 4 === 0).map((r) => `${r[0]} ${r[1] * 1.02} ${r[2] * 0.97} ${r[3]}`).join('\n');
    await s.page.evaluate((t: string) => (globalThis as unknown as { demo: { loadText(n: string, t: string): Promise<void> } }).demo.loadText('mock.dat', t), text);
    expect(await s.page.$eval('#status', (e) => e.textContent)).toMatch(/mock\.dat: 20 k bins/);
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    await s.page.setViewport({ width: 1300, height: 820 });
    await s.page.screenshot({ path: join(dir, 'demo.png') as `${string}.png` });
    expect(s.errors).toEqual([]);
  });
});
