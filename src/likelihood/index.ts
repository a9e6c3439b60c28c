/**
 * The likelihood layer's public API (browser-safe: the data come in as text or arrays; reading
 * them from files is ./node-files.ts, exported by the Node entry).
 */
export { FullShapeLikelihood, DERIVED_NAMES, DERIVED_LATEX, type LikelihoodResult, type LinearInputs, type DerivedParameters, type ParameterPoint } from './full-shape-likelihood';
export { checkConfig, NUISANCE_NAMES, type LikelihoodConfig, type SampleConfig, type TheoryConfig, type NuisanceName } from './config';
export { parseMultipoleTable, parseCovariance, prepareSample, MULTIPOLES, type SampleSpec, type SampleData, type MultipoleTable, type Multipole } from './data';
export { gaussianMultipoleCovariance, gaussianRealisation, type GaussianCovarianceInput } from './mock';
