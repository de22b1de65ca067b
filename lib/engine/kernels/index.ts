/**
 * Gradient kernels the wasm backend of tfjs 4.x does not have, registered in tfjs's own way
 * (`registerKernel({ kernelName, backendName, kernelFunc })`), built on the backend's fast kernels.
 */
import { tf } from '../tf';
import { wasmKernels } from './registry';

/** Registers every kernel in {@link wasmKernels} that the wasm backend lacks; returns their names. */
export function registerWasmKernels(): string[] {
  const added: string[] = [];
  for (const k of wasmKernels) {
    if (tf.getKernel(k.kernelName, 'wasm') === undefined) {
      tf.registerKernel({ ...k, backendName: 'wasm' });
      added.push(k.kernelName);
    }
  }
  return added;
}
