/**
 * The library's core (everything src/index.ts reaches, static and dynamic imports alike, i.e.
 * the browser bundle's path) imports no Node module and nothing of the CLI; Node-only code sits
 * in src/cli/, src/platform/node.ts and src/host/node-pool.ts / host-worker.ts (adapters), and
 * the heavy plotting packages load only when plotting.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = join(__dirname, '..', 'src');

/** Every module reachable from `entry` (relative imports followed), with its bare specifiers. */
function importGraph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const code = readFileSync(file, 'utf8');
    const specs = [...code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|import\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    const bare: string[] = [];
    seen.set(file, bare);
    for (const s of specs) {
      if (!s.startsWith('.')) {
        bare.push(s);
        continue;
      }
      const base = resolve(dirname(file), s);
      const target = [base, `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && p.endsWith('.ts'));
      if (target) visit(target);
      else if (!s.endsWith('.json')) throw new Error(`cannot resolve ${s} from ${file}`);
    }
  };
  visit(entry);
  return seen;
}

describe('the core path (src/index.ts, src/browser.ts)', () => {
  for (const entry of ['index.ts', 'browser.ts']) {
    it(`${entry}: no node: import, no CLI module, no plotting package`, () => {
      const graph = importGraph(join(SRC, entry));
      expect(graph.size).toBeGreaterThan(50);
      const offenders: string[] = [];
      for (const [file, bare] of graph) {
        const rel = relative(SRC, file);
        if (rel.startsWith('cli/') || rel === 'platform/node.ts' || rel === 'host/node-pool.ts') offenders.push(rel);
        for (const b of bare) if (b.startsWith('node:') || ['fs', 'path', 'url', 'os', 'worker_threads', 'zlib', 'module'].includes(b) || /^(vega|vega-lite|@resvg)/.test(b)) offenders.push(`${rel}: ${b}`);
      }
      expect(offenders).toEqual([]);
    });
  }

  it('the Node entry adds the adapter (src/node.ts -> platform/node.ts)', () => {
    const graph = importGraph(join(SRC, 'node.ts'));
    expect([...graph.keys()].map((f) => relative(SRC, f))).toContain('platform/node.ts');
  });
});
