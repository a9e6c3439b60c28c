/** WebAssembly text -> binary with wabt (a devDependency: only the build script and a test use it). */
import wabtInit from 'wabt';

export async function assembleWat(source: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('quadratic-forms.wat', source, { simd: true, multi_value: true });
  try {
    mod.validate();
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}
