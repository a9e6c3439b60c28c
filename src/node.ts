/**
 * The Node build's entry: the library (./index.ts) with the Node adapter installed
 * (./platform/node.ts: wasm files from node_modules, host jobs on two threads, WebGPU from Dawn),
 * and what needs the file system: likelihoods from their configuration and data files, sampling
 * runs with chains in worker threads and GetDist files.
 */
import './platform/node';

export * from './index';
export { loadLikelihood, presetConfigPath, readConfig, readSamples } from './likelihood/node-files';
export { runSampling, type SamplingOptions, type SamplingResult } from './inference/node/sample-run';
export { readOutput, summariseOutput, type RunOutput } from './inference/node/read-output';
