/**
 * The browser bundle's entry (dist/browser/clax-pt.js, one ESM file plus lazily loaded chunks
 * for the backends): the platform-neutral library (./index.ts), tfjs-core itself as `tf` (so a
 * page needs no other import), and the browser adapter: tfjs-backend-wasm's .wasm files are
 * copied beside the bundle by the build and loaded from there. No Node module on this path
 * (tests/browser-bundle.test.ts loads it in headless Chromium).
 */
import * as tf from '@tensorflow/tfjs-core';
import { setPlatformHooks } from './platform/hooks';

setPlatformHooks({ name: 'browser', wasmPaths: () => new URL('./', import.meta.url).href });

export * from './index';
export { tf };
