#include "simd.h"

/*
 * Layer normalization over the last axis (Ba, Kiros & Hinton 2016, arXiv:1607.06450) of x [M, N]:
 *   y = (x − μ)·r·γ + β,  μ = mean(x),  r = 1/√(mean((x − μ)²) + ε)
 * in the order of the tfjs composition `x.sub(mean).mul(rsqrt(variance + ε)).mul(gamma).add(beta)`
 * (the variance two-pass, as tf.moments). μ and r are kept per row for the gradient.
 */
INLINE float hsum(f4 v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) + (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

EXPORT(layer_norm)
void layer_norm(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd, int M, int N, float eps) {
  const int N4 = N & ~3;
  for (int i = 0; i < M; i++, x += N, y += N) {
    f4 s = splat(0.f);
    float t = 0.f;
    for (int j = 0; j < N4; j += 4) s = add(s, ld(x + j));
    for (int j = N4; j < N; j++) t += x[j];
    const float mu = (hsum(s) + t) / (float)N;
    const f4 muv = splat(mu);
    f4 q = splat(0.f);
    float u = 0.f;
    for (int j = 0; j < N4; j += 4) {
      f4 d = wasm_f32x4_sub(ld(x + j), muv);
      q = add(q, mul(d, d));
    }
    for (int j = N4; j < N; j++) u += (x[j] - mu) * (x[j] - mu);
    const float r = 1.f / __builtin_sqrtf((hsum(q) + u) / (float)N + eps);
    const f4 rv = splat(r);
    for (int j = 0; j < N4; j += 4) st(y + j, add(mul(mul(wasm_f32x4_sub(ld(x + j), muv), rv), ld(gamma + j)), ld(beta + j)));
    for (int j = N4; j < N; j++) y[j] = (x[j] - mu) * r * gamma[j] + beta[j];
    mean[i] = mu;
    rstd[i] = r;
  }
}

/*
 * Its gradient, with x̂ = (x − μ)·r and g = dy·γ per row:
 *   dx = r·(g − mean(g) − x̂·mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 */
EXPORT(layer_norm_grad)
void layer_norm_grad(const float* dy, const float* x, const float* gamma, const float* mean, const float* rstd,
                     float* dx, float* dgamma, float* dbeta, int M, int N) {
  const int N4 = N & ~3;
  zero(dgamma, N);
  zero(dbeta, N);
  const float inv = 1.f / (float)N;
  for (int i = 0; i < M; i++, x += N, dy += N, dx += N) {
    const float mu = mean[i], r = rstd[i];
    const f4 muv = splat(mu), rv = splat(r);
    f4 s1 = splat(0.f), s2 = splat(0.f);
    float t1 = 0.f, t2 = 0.f;
    for (int j = 0; j < N4; j += 4) {
      f4 d = ld(dy + j), xh = mul(wasm_f32x4_sub(ld(x + j), muv), rv), g = mul(d, ld(gamma + j));
      s1 = add(s1, g);
      s2 = add(s2, mul(g, xh));
      st(dgamma + j, add(ld(dgamma + j), mul(d, xh)));
      st(dbeta + j, add(ld(dbeta + j), d));
    }
    for (int j = N4; j < N; j++) {
      float xh = (x[j] - mu) * r, g = dy[j] * gamma[j];
      t1 += g;
      t2 += g * xh;
      dgamma[j] += dy[j] * xh;
      dbeta[j] += dy[j];
    }
    const float m1 = (hsum(s1) + t1) * inv, m2 = (hsum(s2) + t2) * inv;
    const f4 m1v = splat(m1), m2v = splat(m2);
    for (int j = 0; j < N4; j += 4) {
      f4 xh = mul(wasm_f32x4_sub(ld(x + j), muv), rv), g = mul(ld(dy + j), ld(gamma + j));
      st(dx + j, mul(rv, wasm_f32x4_sub(wasm_f32x4_sub(g, m1v), mul(xh, m2v))));
    }
    for (int j = N4; j < N; j++) {
      float xh = (x[j] - mu) * r, g = dy[j] * gamma[j];
      dx[j] = r * (g - m1 - xh * m2);
    }
  }
}
