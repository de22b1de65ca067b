/* exp4, sigmoid4, tanh4: shared by activation.c and lstm.c (see activation.c). */
#ifndef TSLAB_XAI_ACTIVATION_H
#define TSLAB_XAI_ACTIVATION_H
#include "simd.h"

INLINE f4 exp4(f4 x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, splat(-104.f)), splat(88.8f));
  f4 n = wasm_f32x4_nearest(mul(x, splat(1.44269504088896341f)));
  f4 r = wasm_f32x4_sub(wasm_f32x4_sub(x, mul(n, splat(0.693359375f))), mul(n, splat(-2.12194440e-4f)));
  f4 p = splat(1.9875691500e-4f);
  p = add(mul(p, r), splat(1.3981999507e-3f));
  p = add(mul(p, r), splat(8.3334519073e-3f));
  p = add(mul(p, r), splat(4.1665795894e-2f));
  p = add(mul(p, r), splat(1.6666665459e-1f));
  p = add(mul(p, r), splat(5.0000001201e-1f));
  p = add(add(mul(mul(p, r), r), r), splat(1.f));
  v128_t ni = wasm_i32x4_trunc_sat_f32x4(n);
  v128_t n1 = wasm_i32x4_shr(ni, 1);
  v128_t n2 = wasm_i32x4_sub(ni, n1);
  f4 s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, wasm_i32x4_splat(127)), 23);
  f4 s2 = wasm_i32x4_shl(wasm_i32x4_add(n2, wasm_i32x4_splat(127)), 23);
  return mul(mul(p, s1), s2);
}

INLINE f4 sigmoid4(f4 x) { return wasm_f32x4_div(splat(1.f), add(splat(1.f), exp4(wasm_f32x4_neg(x)))); }

INLINE f4 tanh4(f4 x) {
  /* 1 − 2/(e^{2x} + 1); below |x| < 0.0625 the series x − x³/3 + 2x⁵/15 (avoids cancellation) */
  f4 big = wasm_f32x4_sub(splat(1.f), wasm_f32x4_div(splat(2.f), add(exp4(add(x, x)), splat(1.f))));
  f4 x2 = mul(x, x);
  f4 small = mul(x, add(splat(1.f), mul(x2, add(splat(-0.333333333f), mul(x2, splat(0.133333333f))))));
  return wasm_v128_bitselect(small, big, wasm_f32x4_lt(wasm_f32x4_abs(x), splat(0.0625f)));
}

#endif
