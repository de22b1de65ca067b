/*
 * tslab-xai: hand-written WebAssembly SIMD kernels for the gradients that tfjs 4.22's wasm backend
 * runs slowly (a scalar loop, or XNNPACK with a costly weight-packing step for these shapes).
 *
 * The module imports the wasm backend's own memory ("env"."memory"), so every pointer below is a
 * tensor's offset on the backend's heap: no copies in or out. It has no data segment and uses no
 * stack (every local lives in a wasm local), so it never writes anywhere but its outputs.
 *
 * Kernels: convolution.c, winograd.c, filterGradient.c, pooling.c, elementwise.c, gemm.c, activation.c, lstm.c, layerNorm.c; helpers here.
 *
 * Build: ./build.sh (clang ≥ 14 with the wasm32 target and wasm-ld; Debian: apt-get install clang lld).
 * All tensors are float32, NHWC, dense.
 */
#ifndef TSLAB_XAI_SIMD_H
#define TSLAB_XAI_SIMD_H
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

typedef v128_t f4;

INLINE f4 ld(const float* p) { return wasm_v128_load(p); }
INLINE void st(float* p, f4 v) { wasm_v128_store(p, v); }
INLINE f4 add(f4 a, f4 b) { return wasm_f32x4_add(a, b); }
INLINE f4 mul(f4 a, f4 b) { return wasm_f32x4_mul(a, b); }
INLINE f4 splat(float v) { return wasm_f32x4_splat(v); }

/*
 * acc + a·b. Built with -DTSLAB_RELAXED (simdBinaryRelaxed.ts) it is one relaxed-SIMD fused
 * multiply-add (f32x4.relaxed_madd, ~1.6× the products per cycle on x64 with FMA); otherwise a
 * multiply and an add. clang 14 knows relaxed SIMD only as the draft `f32x4.fma` (opcode 0xaf);
 * build.sh rewrites each one to the standard `f32x4.relaxed_madd` (0x105), which computes
 * a·b + c of its operands in the order written here (checked by build.sh on a known answer).
 */
#ifdef TSLAB_RELAXED
INLINE f4 madd(f4 a, f4 b, f4 acc) { return (f4)__builtin_wasm_fma_f32x4((__f32x4)a, (__f32x4)b, (__f32x4)acc); }
#else
INLINE f4 madd(f4 a, f4 b, f4 acc) { return add(acc, mul(a, b)); }
#endif

INLINE void zero(float* p, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) st(p + i, splat(0.f));
  for (; i < n; i++) p[i] = 0.f;
}

/* First and one-past-last output index whose tap `k` lands inside [0, size). */
INLINE int lo_index(int pad, int k, int stride) {
  int d = pad - k;
  return d <= 0 ? 0 : (d + stride - 1) / stride;
}
INLINE int hi_index(int size, int pad, int k, int stride, int out) {
  int d = size - 1 + pad - k;
  if (d < 0) return 0;
  int h = d / stride + 1;
  return h < out ? h : out;
}


#endif
