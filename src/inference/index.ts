/**
 * The inference layer's public API (browser-safe: nothing here imports node:*; the file-based
 * runs, worker threads and checkpoints live in ./node/, used by the CLI).
 */
export type { ParameterSpec, Target, TargetSpec, CreateTarget } from './target';
export { checkTarget } from './target';
export { analyticTarget, type AnalyticConfig } from './analytic-targets';
export { Rng } from './rng';
export { UnconstrainedDensity } from './unconstrained';
export { Chain, type ChainCheckpoint, type ChainDraw, type ChainSettings, type ChainStart, type ChainTallies } from './chain';
export { DEFAULT_SETTINGS, parseSamplerSettings, type SamplerSettings } from './settings';
export { findMap, type MapOptions, type MapResult } from './map';
export { rhat, essBulk, essTail, mcseMean, quantile } from './diagnostics';
export { summariseParameter, summaryTable, type ParameterSummary, type RunSummary, type ChainStats } from './summary';
export { formatParamnames, parseParamnames, formatRanges, parseRanges, parseChain, type ParamName, type ParamRange, type ChainTable } from './chains/getdist';
export { cornerSvg, type CornerParameter, type CornerOptions } from './plots/corner';
export { traceSvg, type TraceParameter } from './plots/trace';
