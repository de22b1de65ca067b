#include "simd.h"

/*
 * The GRU of Cho et al. (2014, "Learning phrase representations using RNN encoder-decoder"), exactly
 * as tfjs 4.22's GRUCell computes it (Keras's reset_after = false; the gate layout z | r | h, each U
 * wide, kernel W [F,3U], recurrent kernel R [U,3U] = [Rz | Rr | Rh]):
 *   z = σ(xz + h₋·Rz),  r = σ(xr + h₋·Rr),  ĥ = tanh(xh + (r⊙h₋)·Rh),  h = z⊙h₋ + (1 − z)⊙ĥ
 * with x· = x·W + b computed beforehand for every step at once. Per step: one product h₋·[Rz|Rr] for
 * both gates, one fused pass of gate arithmetic, the product (r⊙h₋)·Rh, one fused pass for h.
 * Backward, from dh (the gradient arriving at h):
 *   dẑ = dh⊙(h₋ − ĥ)⊙z(1−z);  dĥ' = dh⊙(1−z)⊙(1−ĥ²);  d(r⊙h₋) = dĥ'·Rhᵀ;  dr' = d(r⊙h₋)⊙h₋⊙r(1−r)
 *   dh₋ = dh⊙z + d(r⊙h₋)⊙r + [dẑ | dr']·[Rz | Rr]ᵀ;  dR += [h₋ᵀ·[dẑ | dr'] | (r⊙h₋)ᵀ·dĥ']
 * σ and tanh are those of activation.c (the same numbers as the Sigmoid/Tanh kernels).
 */
#include "activation.h"
#include "gemm.h"

/*
 * A whole sequence, T steps of B rows: zx [T·B,3U] by time t; step s reads t = s (or T−1−s going
 * backwards). Outputs by step s: hs [T,B,U] (state after the step) and gates [T,B,3U] (z, r, ĥ).
 * Scratch: zr [B,2U], rh [B,U], hr [B,U]; zeros [B,U]; pack: gemm_scratch_floats().
 */
EXPORT(gru_forward)
void gru_forward(const float* zx, const float* R, float* hs, float* gates, float* zr, float* rh, float* hr, const float* zeros,
                 float* pack, int T, int B, int U, int backwards) {
  int G = 3 * U, n = B * U;
  for (int s = 0; s < T; s++) {
    int t = backwards ? T - 1 - s : s;
    const float* hp = s ? hs + (s - 1) * n : zeros;
    const float* x = zx + t * B * G;
    float* g = gates + s * B * G;
    float* h = hs + s * n;
    gemm_acc(hp, R, zr, B, 2 * U, U, U, 1, G, 1, pack, 0);             /* [h₋·Rz | h₋·Rr] */
    for (int b = 0; b < B; b++)
      for (int j = 0; j + 4 <= U; j += 4) {
        const float* xb = x + b * G;
        const float* zb = zr + b * 2 * U;
        f4 z = sigmoid4(add(ld(xb + j), ld(zb + j)));
        f4 r = sigmoid4(add(ld(xb + U + j), ld(zb + U + j)));
        st(g + b * G + j, z);
        st(g + b * G + U + j, r);
        st(rh + b * U + j, mul(r, ld(hp + b * U + j)));
      }
    gemm_acc(rh, R + 2 * U, hr, B, U, U, U, 1, G, 1, pack, 0);          /* (r⊙h₋)·Rh */
    for (int b = 0; b < B; b++)
      for (int j = 0; j + 4 <= U; j += 4) {
        f4 hh = tanh4(add(ld(x + b * G + 2 * U + j), ld(hr + b * U + j)));
        f4 z = ld(g + b * G + j), p = ld(hp + b * U + j);
        st(g + b * G + 2 * U + j, hh);
        st(h + b * U + j, add(mul(z, p), mul(wasm_f32x4_sub(splat(1.f), z), hh)));
      }
  }
}

/*
 * Backpropagation through gru_forward: dys [T·B,U] (every step's output gradient, by step) or
 * null and dh_last [B,U] or null. Writes dz [T·B,3U] by time t (aligned with zx: for dW, db, dx) and
 * dR [U,3U]. Scratch: dh, drh, rh [B,U]; dRzr [U,2U], dRh [U,U]; zeros [B,U]; pack.
 */
EXPORT(gru_backward)
void gru_backward(const float* gates, const float* hs, const float* dys, const float* dh_last, const float* R, float* dz, float* dR,
                  float* dh, float* drh, float* rh, float* dRzr, float* dRh, const float* zeros, float* pack, int T, int B, int U, int backwards) {
  int G = 3 * U, n = B * U;
  f4 one = splat(1.f);
  for (int i = 0; i < n; i++) dh[i] = dh_last ? dh_last[i] : 0.f;
  zero(dRzr, U * 2 * U);
  zero(dRh, U * U);
  for (int s = T - 1; s >= 0; s--) {
    int t = backwards ? T - 1 - s : s;
    if (dys) for (int i = 0; i < n; i++) dh[i] += dys[s * n + i];
    const float* hp = s ? hs + (s - 1) * n : zeros;
    const float* g = gates + s * B * G;
    float* d = dz + t * B * G;
    for (int b = 0; b < B; b++)
      for (int j = 0; j + 4 <= U; j += 4) {
        f4 z = ld(g + b * G + j), hh = ld(g + b * G + 2 * U + j), dhv = ld(dh + b * U + j), p = ld(hp + b * U + j);
        st(d + b * G + j, mul(mul(dhv, wasm_f32x4_sub(p, hh)), mul(z, wasm_f32x4_sub(one, z))));
        st(d + b * G + 2 * U + j, mul(mul(dhv, wasm_f32x4_sub(one, z)), wasm_f32x4_sub(one, mul(hh, hh))));
      }
    gemm_acc(d + 2 * U, R + 2 * U, drh, B, U, U, G, 1, 1, G, pack, 0);  /* d(r⊙h₋) = dĥ'·Rhᵀ */
    for (int b = 0; b < B; b++)
      for (int j = 0; j + 4 <= U; j += 4) {
        f4 z = ld(g + b * G + j), r = ld(g + b * G + U + j), p = ld(hp + b * U + j), dr = ld(drh + b * U + j);
        st(d + b * G + U + j, mul(mul(dr, p), mul(r, wasm_f32x4_sub(one, r))));
        st(dh + b * U + j, add(mul(ld(dh + b * U + j), z), mul(dr, r)));
        st(rh + b * U + j, mul(r, p));
      }
    if (s) {
      gemm_acc(hp, d, dRzr, U, 2 * U, B, 1, U, G, 1, pack, 1);          /* dR_zr += h₋ᵀ·[dẑ | dr'] */
      gemm_acc(rh, d + 2 * U, dRh, U, U, B, 1, U, G, 1, pack, 1);       /* dR_h += (r⊙h₋)ᵀ·dĥ' */
      gemm_acc(d, R, dh, B, U, 2 * U, G, 1, 1, G, pack, 1);             /* dh₋ += [dẑ | dr']·[Rz | Rr]ᵀ */
    }
  }
  for (int k = 0; k < U; k++) {
    for (int j = 0; j < 2 * U; j++) dR[k * G + j] = dRzr[k * 2 * U + j];
    for (int j = 0; j < U; j++) dR[k * G + 2 * U + j] = dRh[k * U + j];
  }
}
