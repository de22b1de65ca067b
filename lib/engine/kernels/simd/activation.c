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

/*
 * The softmax gradient over the last axis of y [M, N] (y = softmax(x)), one pass per row in the
 * order of tfjs's composition: dx = dy·y − Σ(dy·y)·y.
 */
EXPORT(softmax_grad)
void softmax_grad(const float* dy, const float* y, float* dx, int M, int N) {
  const int N4 = N & ~3;
  for (int i = 0; i < M; i++, dy += N, y += N, dx += N) {
    f4 s4 = splat(0.f);
    float t = 0.f;
    for (int j = 0; j < N4; j += 4) s4 = add(s4, mul(ld(dy + j), ld(y + j)));
    for (int j = N4; j < N; j++) t += dy[j] * y[j];
    const float s = (wasm_f32x4_extract_lane(s4, 0) + wasm_f32x4_extract_lane(s4, 1)) + (wasm_f32x4_extract_lane(s4, 2) + wasm_f32x4_extract_lane(s4, 3)) + t;
    const f4 sv = splat(s);
    for (int j = 0; j < N4; j += 4) {
      f4 yv = ld(y + j);
      st(dx + j, wasm_f32x4_sub(mul(ld(dy + j), yv), mul(sv, yv)));
    }
    for (int j = N4; j < N; j++) dx[j] = dy[j] * y[j] - s * y[j];
  }
}
