/**
 * tslab-xai — explainable machine learning for TensorFlow.js in Jupyter (tslab).
 *
 * ```ts
 * import * as xai from 'tslab-xai';
 * await xai.ready();
 * ```
 */
import { installKernelBridge } from './kernel-src/bridge';

export * from './lib/engine';
export * from './lib/data';
export * from './lib/models';
export * from './lib/display';
export * from './lib/viz';
export * from './lib/explain';
export { generatedDir } from './lib/packageRoot';
export * from './lib/explain/global';
export * from './lib/grader';

installKernelBridge();
