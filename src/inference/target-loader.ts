/**
 * Builds a Target from a TargetSpec, the same way in the main thread, a worker thread or another
 * process: a built-in module by name (bundled, loaded on demand), or any module path or URL
 * that exports `createTarget(config)`. The target's declarations are checked (./target.ts).
 */
import { ClaxPtInputError } from '../errors';
import { checkTarget, type CreateTarget, type Target, type TargetSpec } from './target';

type TargetModule = () => Promise<{ createTarget: CreateTarget }>;

/**
 * built-in TargetSpec modules by name; the Node adapter (../platform/node.ts) adds
 * 'likelihood' (it reads its data files from disk, so it is not on the browser's path)
 */
const BUILTIN: Record<string, TargetModule> = {
  analytic: () => import('./analytic-targets'),
};

export const BUILTIN_TARGET_MODULES: string[] = Object.keys(BUILTIN);

/** Adds a built-in target module (platform adapters). */
export function registerTargetModule(name: string, load: TargetModule): void {
  if (!(name in BUILTIN)) BUILTIN_TARGET_MODULES.push(name);
  BUILTIN[name] = load;
}

export async function loadTarget(spec: TargetSpec): Promise<Target> {
  if (!spec || typeof spec.module !== 'string' || !spec.module) throw new ClaxPtInputError('target.module', 'must name a built-in target module or a module path');
  let mod: { createTarget?: unknown };
  const builtin = BUILTIN[spec.module];
  if (builtin) {
    mod = await builtin();
  } else {
    try {
      mod = (await import(/* @vite-ignore */ spec.module)) as { createTarget?: unknown };
    } catch (e) {
      throw new ClaxPtInputError('target.module', `cannot load '${spec.module}' (${(e as Error).message}); built-in modules: ${BUILTIN_TARGET_MODULES.join(', ')}`);
    }
  }
  if (typeof mod.createTarget !== 'function') throw new ClaxPtInputError('target.module', `'${spec.module}' does not export createTarget(config)`);
  const target = await (mod.createTarget as CreateTarget)(spec.config);
  checkTarget(target);
  return target;
}
