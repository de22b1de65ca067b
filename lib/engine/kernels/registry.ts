import type { KernelConfig } from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';

/** The kernels tslab-xai supplies to the wasm backend (one file each beside this one). */
export const wasmKernels: Omit<KernelConfig, 'backendName'>[] = [conv2dBackpropFilterConfig];
