/** Local explanation — "why did you say that?": one method per file, all called the same way. */
export * from './occlusion';
export * from './saliency';
export * from './gradientXInput';
export * from './smoothGrad';
export * from './integratedGradients';
export * from './gradCam';
export * from './lime';
