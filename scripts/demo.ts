/**
 * `npm run demo [-- --port 8080] [-- --no-serve]`: builds the live page into dist/demo (the
 * page in demo/ plus the browser bundle, dist/browser/) and serves it on 127.0.0.1.
 * The bundle is built first if it is missing (npm run build).
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execSync } from 'node:child_process';
import { serveStatic } from './serve';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'demo');

export function buildDemo(): string {
  if (!existsSync(join(ROOT, 'dist', 'browser', 'clax-pt.js'))) execSync('npx tsup', { cwd: ROOT, stdio: 'inherit' });
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  cpSync(join(ROOT, 'dist', 'browser'), OUT, { recursive: true });
  cpSync(join(ROOT, 'demo'), OUT, { recursive: true });
  return OUT;
}

if (process.argv[1] && process.argv[1].endsWith('demo.ts')) {
  const args = process.argv.slice(2);
  const port = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : 8080;
  const out = buildDemo();
  console.log(`built ${out}`);
  if (!args.includes('--no-serve')) {
    const { url } = await serveStatic(out, port);
    console.log(`clax-pt-ts demo: ${url} (Ctrl-C to stop)`);
  }
}
