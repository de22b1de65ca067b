/**
 * Calls another wasm kernel directly (no tape, no tensor wrappers), the way tfjs backends compose
 * kernels internally. Intermediate results are freed with {@link release}.
 */
import { tf } from '../tf';
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/** Runs wasm kernel `name` on `inputs` with `attrs`. */
export function wasmCall(name: string, backend: KernelBackend, inputs: Record<string, TensorInfo>, attrs: Record<string, unknown> = {}): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`tslab-xai engine: the wasm backend has no '${name}' kernel`);
  return k.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** Frees intermediate tensors made by {@link wasmCall}. */
export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}
