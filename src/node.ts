/**
 * The Node build's entry: the library (./index.ts) with the Node adapter installed
 * (./platform/node.ts: wasm files from node_modules, host jobs on two threads, WebGPU from Dawn).
 */
import './platform/node';

export * from './index';
