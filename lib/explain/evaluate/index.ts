/** Is an explanation faithful, and where does it lie? Deletion/insertion, randomization, mass and concentration. */
export { deletionCurve, insertionCurve, type CurveOptions, type FaithfulnessCurve } from './deletionInsertion';
export * from './randomizationCheck';
export { spearman } from './rankCorrelation';
export { ssim, type SsimOptions } from './ssim';
export * from './attributionMass';
export * from './counterfactual';
export * from './regionOcclusion';
