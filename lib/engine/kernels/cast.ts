/**
 * `Cast` to the dtype a tensor already has, for the wasm backend, shares memory instead of copying
 * (see `identity.ts`). tfjs's ReLU gradient casts a float32 step to float32 on every training step.
 *
 * @example
 * ```ts
 * tf.cast(x, 'float32');   // x is float32: no copy
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { share, type KernelReplacement } from './wasmCall';

/** Replaces the wasm backend's `Cast` when source and target dtype are the same numeric type. */
export const castReplacement: KernelReplacement = {
  kernelName: 'Cast',
  why: "the backend's Cast copies the tensor even when the dtype does not change",
  wrap: (original) =>
    ((args) => {
      const x = args.inputs.x as TensorInfo;
      const { dtype } = args.attrs as { dtype: string };
      if (dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64') return original(args);
      return share(args.backend as KernelBackend, x);
    }) as KernelFunc,
};
