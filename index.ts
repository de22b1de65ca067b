/**
 * tslab-xai — explainable machine learning for TensorFlow.js in Jupyter (tslab).
 *
 * ```ts
 * import * as xai from 'tslab-xai';
 * await xai.ready();
 * ```
 */
export * from './lib/engine';
export * from './lib/data';
export * from './lib/models';
export * from './lib/display';
