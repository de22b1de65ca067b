/**
 * `Exp`, `Sigmoid` and `Tanh` for the wasm backend on SIMD (`simd/activation.c`, Cephes' expf
 * after Moshier 1989). tfjs 4.22's wasm kernels call scalar libm once per element; the softmax
 * cross-entropy of a language model's vocabulary head (Devlin et al. 2019) and every LSTM gate
 * (Hochreiter & Schmidhuber 1997) spend their time there. Float32 inputs only; other dtypes and
 * backends without the SIMD kernels go to the backend's own kernel. NaN stays NaN, ±Inf map as in
 * the cpu backend.
 *
 * @example
 * ```ts
 * tf.exp(logits);   // SIMD on wasm
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { pointer, simdKernels, type SimdKernels } from './simd/simdKernels';
import type { KernelReplacement, WasmBackend } from './wasmCall';

function unary(kernelName: string, fn: 'exp_f32' | 'sigmoid_f32' | 'tanh_f32'): KernelReplacement {
  return {
    kernelName,
    why: `the backend's ${kernelName} calls scalar libm per element`,
    wrap: (original) =>
      ((args) => {
        const x = args.inputs.x as TensorInfo;
        const backend = args.backend as KernelBackend;
        const simd: SimdKernels | undefined = simdKernels(backend);
        if (!simd || x.dtype !== 'float32') return original(args);
        const out = (backend as WasmBackend).makeOutput(x.shape, 'float32');
        const n = x.shape.reduce((p, d) => p * d, 1);
        if (n > 0) simd[fn](pointer(backend, x), pointer(backend, out), n);
        return out;
      }) as KernelFunc,
  };
}

/** Replacements for `Exp`, `Sigmoid` and `Tanh`. */
export const activationReplacements: KernelReplacement[] = [unary('Exp', 'exp_f32'), unary('Sigmoid', 'sigmoid_f32'), unary('Tanh', 'tanh_f32')];
