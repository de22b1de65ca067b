#include "simd.h"

/*
 * exp, sigmoid and tanh over float32 arrays, four lanes at a time. exp is Cephes' expf
 * (S. L. Moshier, "Methods and programs for mathematical functions", 1989): n = round(x·log2 e),
 * r = x − n·ln 2 in two parts, a degree-6 polynomial for e^r, then ·2^n applied as two factors so
 * that results down to the subnormals and up to overflow (→ +Inf) come out right. min/max are
 * NaN-propagating in WebAssembly, so NaN stays NaN; ±Inf give +Inf / 0.
 */
#include "activation.h"

/* Tails are done on a 4-lane copy in the output itself: out has room for n values only, so the
 * last (n mod 4) go through a lane-by-lane load/store. */
#define UNARY(NAME, F)                                                    \
  EXPORT(NAME)                                                            \
  void NAME(const float* x, float* out, int n) {                         \
    int i = 0;                                                            \
    for (; i + 4 <= n; i += 4) st(out + i, F(ld(x + i)));                 \
    if (i < n) {                                                          \
      f4 v = splat(0.f);                                                  \
      if (i + 0 < n) v = wasm_f32x4_replace_lane(v, 0, x[i]);             \
      if (i + 1 < n) v = wasm_f32x4_replace_lane(v, 1, x[i + 1]);         \
      if (i + 2 < n) v = wasm_f32x4_replace_lane(v, 2, x[i + 2]);         \
      v = F(v);                                                           \
      out[i] = wasm_f32x4_extract_lane(v, 0);                             \
      if (i + 1 < n) out[i + 1] = wasm_f32x4_extract_lane(v, 1);          \
      if (i + 2 < n) out[i + 2] = wasm_f32x4_extract_lane(v, 2);          \
    }                                                                     \
  }

UNARY(exp_f32, exp4)
UNARY(sigmoid_f32, sigmoid4)
UNARY(tanh_f32, tanh4)
