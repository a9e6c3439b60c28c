/**
 * Reading one case in the oracle format from a file (JSON or .json.gz); its fields as inputs of
 * the library are ../input/case.ts's.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { ClaxPtInputError } from '../errors';
import type { CaseFile } from '../input/case';

export * from '../input/case';

export function readCaseFile(path: string, field = '--case'): CaseFile {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ClaxPtInputError(field, `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  } catch (e) {
    throw new ClaxPtInputError(field, `'${path}' is not valid gzip: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ClaxPtInputError(field, `'${path}' is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ClaxPtInputError(field, `'${path}' does not hold a JSON object`);
  }
  return parsed as CaseFile;
}

