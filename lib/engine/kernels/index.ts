/**
 * Kernels for the wasm backend of tfjs 4.x, registered in tfjs's own way
 * (`registerKernel({ kernelName, backendName, kernelFunc })`): the gradient kernels it lacks, and
 * faster (or correct) versions of some of its own. They are built on the backend's fast kernels
 * (XNNPACK convolutions and matrix products, transposes, pads) and on tslab-xai's WebAssembly
 * SIMD kernels (`simd/`), which run in the backend's own memory; each has a fallback without them.
 *
 * @example
 * ```ts
 * const { added, replaced } = registerWasmKernels();   // once, after tf.setBackend('wasm')
 * ```
 */
import { tf } from '../tf';
import { gradients, wasmKernels, wasmReplacements } from './registry';
import { simdKernels } from './simd/simdKernels';

/** What {@link registerWasmKernels} did. */
export interface WasmKernelsRegistered {
  /** Kernels the backend lacked (all of them that tslab-xai registered, on every call). */
  added: string[];
  /** The backend's kernels replaced by faster (or correct) ones. */
  replaced: string[];
  /** Gradients registered in place of tfjs's own (e.g. `Relu`, to use `ReluGrad`). */
  gradients: string[];
}

const addedOnce = new Set<string>();
const replacedOnce = new Set<string>();
const gradientsOnce = new Set<string>();

/**
 * Registers every kernel in `wasmKernels` that the wasm backend lacks, puts each of
 * `wasmReplacements` in place of the backend's own kernel and registers `gradients` (once per
 * process; later calls report the same lists).
 */
export function registerWasmKernels(): WasmKernelsRegistered {
  const added: string[] = [];
  const simd = tf.getBackend() === 'wasm' && simdKernels(tf.backend()) !== undefined;
  for (const { needsSimd, ...k } of wasmKernels) {
    if (needsSimd && !simd) continue;
    if (tf.getKernel(k.kernelName, 'wasm') === undefined) {
      tf.registerKernel({ ...k, backendName: 'wasm' });
      addedOnce.add(k.kernelName);
    }
    if (addedOnce.has(k.kernelName)) added.push(k.kernelName);
  }
  const replaced: string[] = [];
  for (const r of wasmReplacements) {
    const own = tf.getKernel(r.kernelName, 'wasm');
    if (!own) throw new Error(`tslab-xai engine: the wasm backend has no '${r.kernelName}' kernel to replace`);
    if (!replacedOnce.has(r.kernelName)) {
      tf.unregisterKernel(r.kernelName, 'wasm');
      tf.registerKernel({ kernelName: r.kernelName, backendName: 'wasm', kernelFunc: r.wrap(own.kernelFunc) });
      replacedOnce.add(r.kernelName);
    }
    replaced.push(r.kernelName);
  }
  for (const g of gradients) {
    if (!gradientsOnce.has(g.kernelName)) {
      tf.registerGradient(g);
      gradientsOnce.add(g.kernelName);
    }
  }
  return { added, replaced, gradients: gradients.map((g) => g.kernelName) };
}
