/**
 * Node-only module-resolution fix for running the TypeScript sources directly (`npx tsx
 * src/cli.ts`): tfjs-core's ESM gradient files (`dist/register_all_gradients.js`, imported
 * by compute.ts) use extensionless relative imports, and one of them (`./gradients`) names
 * both a folder and a file, which Node's ESM loader refuses (ERR_UNSUPPORTED_DIR_IMPORT). The
 * hook retries such imports inside @tensorflow packages with `.js` appended. The built
 * bundle (dist/cli.js) does not need it; registering it there is harmless.
 */
import { register } from 'node:module';

const HOOK = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    const code = e && e.code;
    if ((code === 'ERR_UNSUPPORTED_DIR_IMPORT' || code === 'ERR_MODULE_NOT_FOUND') &&
        context.parentURL && context.parentURL.includes('/@tensorflow/') &&
        specifier.startsWith('.') && !specifier.endsWith('.js')) {
      return next(specifier + '.js', context);
    }
    throw e;
  }
}
`;

let registered = false;

/** Registers the hook once (Node >= 20.6; a no-op where module.register is missing). */
export function registerTfjsResolveHook(): void {
  if (registered || typeof register !== 'function') return;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
  registered = true;
}
