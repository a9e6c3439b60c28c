/** `clax-pt argv...` in-process, with its stdout, stderr (not a terminal) and exit status. */
import { runCli } from '../../src/cli/main';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: false } });
  return { code, out, err };
}
