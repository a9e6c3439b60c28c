// Resolve hook: tfjs-core's ESM dist files import siblings without extensions
// ('./gradients/Abs_grad'), which Node's ESM loader rejects. src/compute.ts imports
// '@tensorflow/tfjs-core/dist/register_all_gradients.js' (tsup bundles it for dist/; vitest
// resolves it through vite), so running src/ under plain tsx needs this retry with '.js'.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const parent = context.parentURL ?? '';
    if (parent.includes('/@tensorflow/') && (specifier.startsWith('./') || specifier.startsWith('../')) && !specifier.endsWith('.js')) {
      return nextResolve(specifier + '.js', context);
    }
    throw err;
  }
}
