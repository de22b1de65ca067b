#include "simd.h"

/* Sum over the rows of x [M, N] → out [N], each column added in row order. */
EXPORT(column_sum)
void column_sum(const float* x, float* out, int M, int N) {
  int j = 0;
  for (; j + 16 <= N; j += 16) {
    f4 a0 = splat(0.f), a1 = splat(0.f), a2 = splat(0.f), a3 = splat(0.f);
    const float* p = x + j;
    for (int i = 0; i < M; i++, p += N) {
      a0 = add(a0, ld(p)); a1 = add(a1, ld(p + 4)); a2 = add(a2, ld(p + 8)); a3 = add(a3, ld(p + 12));
    }
    st(out + j, a0); st(out + j + 4, a1); st(out + j + 8, a2); st(out + j + 12, a3);
  }
  for (; j + 4 <= N; j += 4) {
    f4 a = splat(0.f);
    const float* p = x + j;
    for (int i = 0; i < M; i++, p += N) a = add(a, ld(p));
    st(out + j, a);
  }
  for (; j < N; j++) {
    float s = 0.f;
    for (int i = 0; i < M; i++) s += x[i * N + j];
    out[j] = s;
  }
}

/* x [M, N] + bias [N] → out [M, N] (the bias add of every conv and dense layer while training). */
EXPORT(add_bias)
void add_bias(const float* x, const float* bias, float* out, int M, int N) {
  if (N % 4 == 0) {
    for (int i = 0; i < M; i++, x += N, out += N)
      for (int j = 0; j < N; j += 4) st(out + j, add(ld(x + j), ld(bias + j)));
    return;
  }
  for (int i = 0; i < M; i++, x += N, out += N)
    for (int j = 0; j < N; j++) out[j] = x[j] + bias[j];
}

/*
 * One Adam step (Kingma & Ba 2015) for one variable, in exactly the float32 operations and order
 * of tfjs's AdamOptimizer, so results match it bit for bit:
 *   m' = m·b1 + g·(1−b1);  v' = v·b2 + g²·(1−b2)
 *   x' = (m'/(1−b1ᵗ)) / (sqrt(v'/(1−b2ᵗ)) + eps) · (−lr) + x
 * The scalars arrive already rounded to float32 as tfjs rounds them.
 */
EXPORT(adam_update)
void adam_update(const float* x, const float* m, const float* v, const float* g, float* xo, float* mo, float* vo, int n,
                 float b1, float c1, float b2, float c2, float omb1, float omb2, float eps, float neglr) {
  int i = 0;
  f4 B1 = splat(b1), C1 = splat(c1), B2 = splat(b2), C2 = splat(c2), O1 = splat(omb1), O2 = splat(omb2), E = splat(eps), L = splat(neglr);
  for (; i + 4 <= n; i += 4) {
    f4 gv = ld(g + i);
    f4 mn = add(mul(ld(m + i), B1), mul(gv, C1));
    f4 vn = add(mul(ld(v + i), B2), mul(mul(gv, gv), C2));
    f4 step = wasm_f32x4_div(wasm_f32x4_div(mn, O1), add(wasm_f32x4_sqrt(wasm_f32x4_div(vn, O2)), E));
    st(mo + i, mn);
    st(vo + i, vn);
    st(xo + i, add(mul(step, L), ld(x + i)));
  }
  for (; i < n; i++) {
    float gv = g[i];
    float mn = m[i] * b1 + gv * c1;
    float vn = v[i] * b2 + (gv * gv) * c2;
    float step = (mn / omb1) / (__builtin_sqrtf(vn / omb2) + eps);
    mo[i] = mn;
    vo[i] = vn;
    xo[i] = step * neglr + x[i];
  }
}

/* tfjs's ReLU gradient, dy · step(x) with step(NaN) = NaN, in one pass (and bit for bit). */
EXPORT(relu_grad)
void relu_grad(const float* dy, const float* x, float* out, int n) {
  int i = 0;
  const f4 one = splat(1.f), zero4 = splat(0.f);
  for (; i + 4 <= n; i += 4) {
    f4 xv = ld(x + i);
    f4 step = wasm_v128_or(wasm_v128_and(one, wasm_f32x4_gt(xv, zero4)), wasm_v128_and(xv, wasm_f32x4_ne(xv, xv)));
    st(out + i, mul(ld(dy + i), step));
  }
  for (; i < n; i++) {
    float xv = x[i];
    float step = xv != xv ? xv : (xv > 0.f ? 1.f : 0.f);
    out[i] = dy[i] * step;
  }
}

