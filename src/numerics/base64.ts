/**
 * Base64 -> bytes without Node's Buffer (the core runs in browsers too): `atob` where the
 * platform has it (browsers, Node >= 16), else a table decoder.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64ToBytes(s: string): Uint8Array {
  const atob = (globalThis as { atob?: (s: string) => string }).atob;
  if (atob) {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const v = ALPHABET.indexOf(clean[i]);
    if (v < 0) throw new Error(`invalid base64 character '${clean[i]}'`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Base64 of little-endian float64 values -> a fresh Float64Array. */
export function base64ToFloat64(s: string): Float64Array {
  const b = base64ToBytes(s);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8).slice();
}
