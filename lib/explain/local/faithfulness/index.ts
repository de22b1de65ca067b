export * from './deletionInsertion';
export * from './randomizationCheck';
export * from './rankCorrelation';
export * from './ssim';
export * from './featureMaps';
