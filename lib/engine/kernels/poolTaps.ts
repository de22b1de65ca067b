/**
 * Constant filters for pooling gradients on the wasm backend, built once per shape and kept on the
 * backend (see `constant`): one-hot window taps and the "first maximum" selector.
 *
 * For a pooling window with taps j = 0…K−1 in row-major order and s_j = 1 where x_j < max
 * (0 where x_j equals it), the tap that receives the gradient — the first maximum, as tfjs's cpu
 * backend and TensorFlow choose it — is f_k = relu(1 − k − s_k + Σ_{j<k} s_j): an affine map of s
 * followed by relu, which XNNPACK runs as one fused depthwise convolution or matrix product.
 */
import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { constant } from './wasmCall';

/** Weight of s_j in f_k: −1 on the diagonal, +1 for earlier taps. */
function firstMaxWeight(j: number, k: number): number {
  return j === k ? -1 : j < k ? 1 : 0;
}

/** Depthwise filter [fh, fw, c, K]: output channel ch·K+k = Σ_j w_k[j] · s[tap j, ch]. */
export function firstMaxDepthwiseFilter(backend: KernelBackend, fh: number, fw: number, c: number): TensorInfo {
  const K = fh * fw;
  return constant(backend, `firstMaxDw:${fh}x${fw}x${c}`, [fh, fw, c, K], () => {
    const v = new Float32Array(K * c * K);
    for (let j = 0; j < K; j++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < K; k++) v[(j * c + ch) * K + k] = firstMaxWeight(j, k);
    return v;
  });
}

/** Matrix [K, K] with entry [j, k] = w_k[j], for s [N, K] @ it. */
export function firstMaxMatrix(backend: KernelBackend, K: number): TensorInfo {
  return constant(backend, `firstMaxMat:${K}`, [K, K], () => {
    const v = new Float32Array(K * K);
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) v[j * K + k] = firstMaxWeight(j, k);
    return v;
  });
}

/** Bias 1 − k for every (channel, tap) pair: [c·K]. */
export function firstMaxBias(backend: KernelBackend, K: number, c: number): TensorInfo {
  return constant(backend, `firstMaxBias:${K}x${c}`, [c * K], () => {
    const v = new Float32Array(c * K);
    for (let ch = 0; ch < c; ch++) for (let k = 0; k < K; k++) v[ch * K + k] = 1 - k;
    return v;
  });
}

/** Depthwise filter [fh, fw, c, K] that copies tap k of every window to output channel ch·K+k. */
export function oneHotTaps(backend: KernelBackend, fh: number, fw: number, c: number): TensorInfo {
  const K = fh * fw;
  return constant(backend, `oneHotTaps:${fh}x${fw}x${c}`, [fh, fw, c, K], () => {
    const v = new Float32Array(K * c * K);
    for (let j = 0; j < K; j++) for (let ch = 0; ch < c; ch++) v[(j * c + ch) * K + j] = 1;
    return v;
  });
}
