/**
 * `_FusedMatMul` (a dense layer's x·W + b, `tf.fused.matMul`) for the wasm backend. Linear products
 * take the same path `BatchMatMul` would (see `productPath` in batchMatMul.ts: the SIMD kernel for
 * transposed operands and, with the relaxed-SIMD build, for ≥ 32 rows; XNNPACK otherwise), with the
 * bias added in place in one SIMD pass (`add_bias`, elementwise.c). Measured on the tiny BERT's
 * output projection [328,128]·[128,8000] + b with fresh weights (training): ~32 ms CPU on either
 * path, so no speed-up there. The reason for this replacement is a bug: tfjs-wasm 4.22's
 * `_FusedMatMul` is wrong with a transposed operand and any activation but linear (relu, relu6,
 * elu, sigmoid, leakyrelu, prelu: errors of order 1, found by test/engine-seq-fusedmatmul.test.ts),
 * so those run as the linear product plus bias followed by the activation's own kernel. Other cases
 * (untransposed products with an activation, batched operands, other bias shapes) run the backend's
 * own kernel.
 *
 * @example
 * ```ts
 * tf.fused.matMul({ a, b, transposeB: true, activation: 'relu' });   // correct on wasm now
 * ```
 */
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { productPath } from './batchMatMul';
import { pointer, simdKernels } from './simd/simdKernels';
import { release, wasmCall, type KernelReplacement } from './wasmCall';

/** The activation kernel (name and attrs) applied after a linear fused product. */
function activationKernel(activation: string, leakyreluAlpha: number | undefined): [string, Record<string, unknown>] | undefined {
  const names: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid', leakyrelu: 'LeakyRelu', prelu: 'Prelu' };
  return names[activation] ? [names[activation], activation === 'leakyrelu' ? { alpha: leakyreluAlpha ?? 0.2 } : {}] : undefined;
}

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** Replaces the wasm backend's `_FusedMatMul` for linear, unbatched float32 products. */
export const fusedMatMulReplacement: KernelReplacement = {
  kernelName: '_FusedMatMul',
  why: "the backend's fused product re-packs the weights through XNNPACK on every call, at half the SIMD kernel's rate while training",
  wrap: (original) => {
    const self = ((args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
      const backend = args.backend as KernelBackend;
      if (activation && activation !== 'linear') {
        const act = activationKernel(activation, leakyreluAlpha);
        if (!(transposeA || transposeB) || !act) return original(args);
        // the backend's transposed fused product with an activation is wrong: linear product, then the activation
        const linear = self({ ...args, inputs: { a, b, ...(bias ? { bias } : {}) } as never, attrs: { ...args.attrs, activation: 'linear' } as never }) as TensorInfo;
        const out = wasmCall(act[0], backend, act[0] === 'Prelu' ? { x: linear, alpha: preluActivationWeights! } : { x: linear }, act[1]);
        release(backend, linear);
        return out;
      }
      const simd = simdKernels(backend);
      if (!simd || !a || !b || a.dtype !== 'float32' || b.dtype !== 'float32' || preluActivationWeights) return original(args);
      if (a.shape.length < 2 || b.shape.length < 2 || size(a.shape.slice(0, -2)) !== 1 || size(b.shape.slice(0, -2)) !== 1) return original(args);
      const [a0, a1] = a.shape.slice(-2);
      const [b0, b1] = b.shape.slice(-2);
      const n = transposeB ? b0 : b1;
      if ((transposeA ? a0 : a1) !== (transposeB ? b1 : b0)) return original(args); // tfjs's own error
      if (bias && (bias.dtype !== 'float32' || size(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)) return original(args);
      if (productPath(transposeA, transposeB, 1, transposeA ? a1 : a0) !== 'simd') return original(args);
      const out = wasmCall('BatchMatMul', backend, { a, b }, { transposeA, transposeB });
      if (bias && n > 0) {
        const po = pointer(backend, out);
        simd.add_bias(po, pointer(backend, bias), po, size(out.shape) / n, n);
      }
      return out;
    }) as KernelFunc;
    return self;
  },
};
