/**
 * The kernels tslab-xai supplies to the wasm backend, one file each beside this one:
 * `wasmKernels` the backend lacks, `wasmReplacements` for its own kernels that are too slow or wrong.
 */
import { activationReplacements } from './activation';
import { addReplacement } from './add';
import { adamUpdateConfig } from './adamUpdate';
import { batchMatMulReplacement } from './batchMatMul';
import { fusedMatMulReplacement } from './fusedMatMul';
import { castReplacement } from './cast';
import { conv2dReplacements } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputReplacement } from './conv2dBackpropInput';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwiseConv2dNativeBackpropFilter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwiseConv2dNativeBackpropInput';
import { gatherV2Replacement } from './gatherV2';
import { identityReplacement } from './identity';
import { layerNormConfigs } from './layerNorm';
import { lstmConfigs } from './lstm';
import { gruConfigs } from './gru';
import { softmaxCrossEntropyConfigs } from './softmaxCrossEntropy';
import { maxPoolGradReplacement } from './maxPoolGrad';
import { reluGradConfig, reluGradient } from './reluGrad';
import { samePaddingReplacements } from './samePadding';
import { softmaxGradConfig, softmaxGradient } from './softmaxGrad';
import { sliceReplacement } from './slice';
import { sumReplacement } from './sum';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';
import type { GradConfig } from '@tensorflow/tfjs';
import type { KernelReplacement, WasmKernel } from './wasmCall';

/** Kernels missing from tfjs 4.22's wasm backend that gradients of common layers need. */
export const wasmKernels: WasmKernel[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  adamUpdateConfig,
  reluGradConfig,
  ...lstmConfigs,
  ...gruConfigs,
  ...softmaxCrossEntropyConfigs,
  ...layerNormConfigs,
  softmaxGradConfig,
];

/** Gradients tslab-xai registers in place of tfjs's (same values, fewer kernels where the backend has ours). */
export const gradients: GradConfig[] = [reluGradient, softmaxGradient];

/** The backend's own kernels that tslab-xai replaces (the original stays reachable for the cases it leaves alone). */
export const wasmReplacements: KernelReplacement[] = [
  sliceReplacement,
  identityReplacement,
  batchMatMulReplacement,
  fusedMatMulReplacement,
  conv2dBackpropInputReplacement,
  maxPoolGradReplacement,
  sumReplacement,
  addReplacement,
  castReplacement,
  ...samePaddingReplacements,
  ...conv2dReplacements,
  gatherV2Replacement,
  ...activationReplacements,
];
