/**
 * The inference layer's public API (browser-safe: nothing here imports node:*; the file-based
 * runs, worker threads and checkpoints live in ./node/, used by the CLI).
 */
export type { ParameterSpec, Target, TargetSpec, CreateTarget } from './target';
export { checkTarget, derivedColumns, derivedValues } from './target';
export { loadTarget, BUILTIN_TARGET_MODULES } from './target-loader';
export { analyticTarget, type AnalyticConfig } from './analytic-targets';
export { ParameterTransforms, type TransformKind } from './transforms';
export { UnconstrainedDensity, type GradientDensity } from './unconstrained';
export { Rng, seedState } from './rng';
export { Metric, type MetricKind } from './metric';
export { Nuts, type PhasePoint, type TransitionResult } from './nuts';
export { DualAveraging } from './stepsize';
export { WindowedAdaptation, STAN_WINDOWS, type WindowSettings } from './windows';
export { Chain, type ChainCheckpoint, type ChainDraw, type ChainSettings, type ChainStart, type ChainTallies } from './chain';
export { DEFAULT_SETTINGS, parseSamplerSettings, type SamplerSettings } from './settings';
export { findMap, type MapOptions, type MapResult } from './map';
export { rhat, rhatBasic, essBulk, essTail, essMean, essQuantile, essBasic, mcseMean, quantile, splitChains, zScale, autocovariance } from './diagnostics';
export { summariseParameter, summaryTable, type ParameterSummary, type RunSummary, type ChainStats } from './summary';
export { formatParamnames, parseParamnames, formatRanges, parseRanges, formatChainLine, parseChain, chainHeader, type ParamName, type ParamRange, type ChainTable } from './chains/getdist';
export { cornerSvg, type CornerParameter, type CornerOptions } from './plots/corner';
export { traceSvg, type TraceParameter } from './plots/trace';
