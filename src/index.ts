/**
 * clax-pt-ts: CLASS-PT's one-loop EFT-of-LSS power spectra on TensorFlow.js tensors.
 *
 *   plan (kernel matrices for an FFTLog size, built once)  ->  computeComponents (a batch of
 *   linear spectra and scalars in, classy's get_pk_mult rows out, Mpc^3)  ->  assembly
 *   (classy's pk_mm_real, pk_gg_l0, ... with nuisance parameters, (Mpc/h)^3).
 *
 * This entry is the platform-neutral core (also the browser bundle's entry): it imports no Node
 * module and not the CLI; the Node build's entry (./node.ts) adds the Node adapter.
 */
import './gradients';

// backends and the engine: plan -> computeComponents -> assembly
export { useBackend, requestedBackend, BACKEND_NAMES, type BackendName } from './backend';
export { getPlan, clearPlanCache, type Plan, type PlanOptions } from './plan';
export { computeComponents, type ComputeOptions, type ComponentsResult, type StageRecorder } from './compute';
export { computeAsync } from './readback';
export { computeInBatches, defaultMaxBatch } from './batches';
export { validateComputeInputs } from './validate';
export { ClaxPtInputError, isInputError } from './errors';
export type { CosmologyInput, LinearStageOptions } from './input/linear-stage';
export { fftlogGrid, FFTLOG_SIZES, type FftlogGrid } from './fftlog/grid';
export * from './assembly/spectra';
export * from './assembly/fnl-spectra';
// the oracle's case-file format (data/default-cosmology.json is one)
export { caseInputs, type CaseFile, type CaseInputs } from './input/case';
// cosmology in, spectra out (emulator + background + engine)
export { predictFromCosmology, type CosmologyCase, type EndToEndOptions, type EndToEndResult, type EndToEndDerived } from './cosmology/end-to-end';
export { linearQuantities, type LinearAnswer, type LinearRequest } from './cosmology/emulator';
export { COSMO_PARAM_NAMES, COSMO_PARAM_RANGE, Z_RANGE, K_RANGE_MPC, validateCosmoParams, type CosmoParams, type CosmoParamName } from './cosmology/params';
// survey likelihoods and inference
export * from './likelihood/index';
export * from './inference/index';
