/**
 * `Identity` for the wasm backend that shares memory instead of copying it, as tfjs's cpu backend
 * does. tfjs clones every tensor a gradient needs (`saveTensorsForBackwardMode` → `Identity`), and
 * the wasm backend's own kernel copies each one: three full copies of the largest activation per
 * training step of a small CNN. Tensors are immutable in tfjs, so sharing is safe.
 *
 * @example
 * ```ts
 * const y = tf.clone(x);   // same memory as x, freed when both are disposed
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { share, type KernelReplacement } from './wasmCall';

/** Replaces the wasm backend's copying `Identity` (strings still go to it). */
export const identityReplacement: KernelReplacement = {
  kernelName: 'Identity',
  why: "the backend's Identity copies the tensor; tfjs clones every tensor a gradient saves",
  wrap: (original) =>
    ((args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === 'string') return original(args);
      return share(args.backend as KernelBackend, x);
    }) as KernelFunc,
};
