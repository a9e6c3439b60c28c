/**
 * Headless Chromium (Debian's `chromium`, driven by puppeteer-core, which downloads no browser)
 * on pages served from this checkout on 127.0.0.1: for the browser tests, the webgl oracle run
 * and the demo's test. The page's console errors and uncaught exceptions are collected.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { serveStatic } from './serve';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const hasChromium = (): boolean => existsSync(CHROMIUM);

export interface BrowserSession {
  browser: Browser;
  page: Page;
  url: string;
  /** console errors and page errors seen so far */
  errors: string[];
  close(): Promise<void>;
}

/** Serves `root` (default: the checkout) and opens `path` in a fresh headless Chromium. */
export async function openPage(path: string, root = ROOT): Promise<BrowserSession> {
  const { server, url } = await serveStatic(root);
  const profile = mkdtempSync(join(tmpdir(), 'clax-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    protocolTimeout: 0, // long evaluations (a software GPU takes minutes per batch)
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
    ],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.goto(url + path, { waitUntil: 'load' });
  return {
    browser,
    page,
    url,
    errors,
    close: async () => {
      await browser.close();
      await new Promise<void>((ok) => (server as Server).close(() => ok()));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Components of oracle cases computed in Chromium through the browser bundle on `backend`
 * (tests/browser/oracle.html); the page stays open between cases (one plan per N).
 */
export async function browserPredictor(backend: string): Promise<{
  predict(id: string): Promise<{ backend: string; k_Mpc: number[]; components_Mpc3: Record<string, number[]> }>;
  close(): Promise<void>;
}> {
  const s = await openPage('tests/browser/oracle.html');
  await s.page.waitForFunction('window.ready === true', { timeout: 120_000 });
  s.page.setDefaultTimeout(0);
  return {
    predict: async (id) => {
      const r = await s.page.evaluate((i: string, b: string) => (globalThis as unknown as { predict(i: string, b: string): Promise<unknown> }).predict(i, b), id, backend);
      if (s.errors.length) throw new Error(`browser errors: ${s.errors.join('; ')}`);
      return r as { backend: string; k_Mpc: number[]; components_Mpc3: Record<string, number[]> };
    },
    close: () => s.close(),
  };
}
