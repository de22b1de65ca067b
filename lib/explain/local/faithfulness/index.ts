export { deletionCurve, insertionCurve, type CurveOptions, type FaithfulnessCurve } from './deletionInsertion';
export * from './randomizationCheck';
export { spearman } from './rankCorrelation';
export { ssim, type SsimOptions } from './ssim';
