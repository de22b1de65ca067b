#include "convTile.h"

/*
 * 3×3, stride 1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016,
 * "Fast algorithms for convolutional neural networks"): each 2×2 output tile costs 16 products per
 * (ci, co) pair instead of 36. Filter, input tiles and output tiles are transformed with the
 * usual G, Bᵀ, Aᵀ; the 16 products are 16 small matrix products run in blocks of WINO_TB tiles
 * (4 tiles × 8 channels register tiles), so the scratch stays in cache.
 * Requires CI % 4 = 0 and CO % 4 = 0. scratch: 16·CI·CO + 16·(WINO_TB·(CI + CO) + 2·WINO_PAD) floats.
 */
#define WINO_TB 32
/* extra floats between the 16 product planes, so that they do not alias in the cache (4 KiB strides) */
#define WINO_PAD 32

INLINE void wino_filter(const float* w, float* U, int CI, int CO) {
  const f4 half = splat(0.5f);
  for (int ci = 0; ci < CI; ci++)
    for (int co = 0; co < CO; co += 4) {
      f4 g[3][3], t[4][3];
      for (int kh = 0; kh < 3; kh++)
        for (int kw = 0; kw < 3; kw++) g[kh][kw] = ld(w + ((kh * 3 + kw) * CI + ci) * CO + co);
      for (int c = 0; c < 3; c++) {
        t[0][c] = g[0][c];
        t[1][c] = mul(add(add(g[0][c], g[1][c]), g[2][c]), half);
        t[2][c] = mul(add(wasm_f32x4_sub(g[0][c], g[1][c]), g[2][c]), half);
        t[3][c] = g[2][c];
      }
      for (int r = 0; r < 4; r++) {
        f4 u[4];
        u[0] = t[r][0];
        u[1] = mul(add(add(t[r][0], t[r][1]), t[r][2]), half);
        u[2] = mul(add(wasm_f32x4_sub(t[r][0], t[r][1]), t[r][2]), half);
        u[3] = t[r][2];
        for (int c = 0; c < 4; c++) st(U + ((r * 4 + c) * CI + ci) * CO + co, u[c]);
      }
    }
}

/* Bᵀ d B of the 4×4 input tile at (r0, c0) (zero outside the image), 4 channels, into V[ξ][slot][ci]. */
INLINE void wino_input(const float* xb, float* V, int slot, int ci, int H, int W, int CI, int r0, int c0) {
  f4 d[4][4], t[4][4];
  if (r0 >= 0 && c0 >= 0 && r0 + 4 <= H && c0 + 4 <= W) {
    const float* p = xb + (r0 * W + c0) * CI + ci;
    for (int r = 0; r < 4; r++)
      for (int c = 0; c < 4; c++) d[r][c] = ld(p + (r * W + c) * CI);
  } else {
    for (int r = 0; r < 4; r++)
      for (int c = 0; c < 4; c++) {
        int rr = r0 + r, cc = c0 + c;
        d[r][c] = rr >= 0 && rr < H && cc >= 0 && cc < W ? ld(xb + (rr * W + cc) * CI + ci) : splat(0.f);
      }
  }
  for (int c = 0; c < 4; c++) {
    t[0][c] = wasm_f32x4_sub(d[0][c], d[2][c]);
    t[1][c] = add(d[1][c], d[2][c]);
    t[2][c] = wasm_f32x4_sub(d[2][c], d[1][c]);
    t[3][c] = wasm_f32x4_sub(d[1][c], d[3][c]);
  }
  const int stride = WINO_TB * CI + WINO_PAD;
  float* v = V + slot * CI + ci;
  for (int r = 0; r < 4; r++) {
    st(v + (r * 4 + 0) * stride, wasm_f32x4_sub(t[r][0], t[r][2]));
    st(v + (r * 4 + 1) * stride, add(t[r][1], t[r][2]));
    st(v + (r * 4 + 2) * stride, wasm_f32x4_sub(t[r][2], t[r][1]));
    st(v + (r * 4 + 3) * stride, wasm_f32x4_sub(t[r][1], t[r][3]));
  }
}

/* Aᵀ m A of one tile's 16 products (4 channels), plus bias and ReLU, into the valid outputs. */
INLINE void wino_output(const float* M, float* ob, const float* bias, int slot, int co, int OH, int OW, int CO,
                        int i0, int j0, int relu) {
  f4 m[4][4], s[2][4];
  const int stride = WINO_TB * CO + WINO_PAD;
  const float* p = M + slot * CO + co;
  for (int k = 0; k < 16; k++) m[k / 4][k % 4] = ld(p + k * stride);
  for (int c = 0; c < 4; c++) {
    s[0][c] = add(add(m[0][c], m[1][c]), m[2][c]);
    s[1][c] = wasm_f32x4_sub(wasm_f32x4_sub(m[1][c], m[2][c]), m[3][c]);
  }
  f4 bv = bias ? ld(bias + co) : splat(0.f);
  for (int r = 0; r < 2; r++) {
    if (i0 + r >= OH) break;
    f4 y0 = add(add(add(s[r][0], s[r][1]), s[r][2]), bv);
    f4 y1 = add(wasm_f32x4_sub(wasm_f32x4_sub(s[r][1], s[r][2]), s[r][3]), bv);
    if (relu) { y0 = wasm_f32x4_max(y0, splat(0.f)); y1 = wasm_f32x4_max(y1, splat(0.f)); }
    st(ob + ((i0 + r) * OW + j0) * CO + co, y0);
    if (j0 + 1 < OW) st(ob + ((i0 + r) * OW + j0 + 1) * CO + co, y1);
  }
}

/* M[ξ] = V[ξ] · U[ξ] for n tiles: [n, CI] × [CI, CO], 4 tiles × 8 (or 4) channels per register tile. */
INLINE void wino_products(const float* V, const float* U, float* M, int n, int CI, int CO) {
  for (int k = 0; k < 16; k++) {
    const float* v = V + k * (WINO_TB * CI + WINO_PAD);
    const float* u = U + k * CI * CO;
    float* m = M + k * (WINO_TB * CO + WINO_PAD);
    int t = 0;
    for (; t + 4 <= n; t += 4) {
      int co = 0;
      for (; co + 8 <= CO; co += 8) conv_tile(v + t * CI, u + co, 0, m + t * CO + co, 4, 2, 0, CI, CO, 1, 1, 0, 0, 0, 1, 0, 1, 0);
      for (; co < CO; co += 4) conv_tile(v + t * CI, u + co, 0, m + t * CO + co, 4, 1, 0, CI, CO, 1, 1, 0, 0, 0, 1, 0, 1, 0);
    }
    for (; t < n; t++) {
      int co = 0;
      for (; co + 8 <= CO; co += 8) conv_tile(v + t * CI, u + co, 0, m + t * CO + co, 1, 2, 0, CI, CO, 1, 1, 0, 0, 0, 1, 0, 1, 0);
      for (; co < CO; co += 4) conv_tile(v + t * CI, u + co, 0, m + t * CO + co, 1, 1, 0, CI, CO, 1, 1, 0, 0, 0, 1, 0, 1, 0);
    }
  }
}

EXPORT(conv3x3_winograd)
void conv3x3_winograd(const float* x, const float* w, const float* bias, float* out, float* scratch,
                      int B, int H, int W, int CI, int OH, int OW, int CO, int PT, int PL, int relu) {
  float* U = scratch;
  float* V = U + 16 * CI * CO;
  float* M = V + 16 * (WINO_TB * CI + WINO_PAD);
  wino_filter(w, U, CI, CO);
  const int TH = (OH + 1) / 2, TW = (OW + 1) / 2, T = B * TH * TW;
  for (int t0 = 0; t0 < T; t0 += WINO_TB) {
    int n = T - t0 < WINO_TB ? T - t0 : WINO_TB;
    for (int s = 0; s < n; s++) {
      int t = t0 + s, b = t / (TH * TW), ti = (t / TW) % TH, tj = t % TW;
      const float* xb = x + b * H * W * CI;
      for (int ci = 0; ci < CI; ci += 4) wino_input(xb, V, s, ci, H, W, CI, 2 * ti - PT, 2 * tj - PL);
    }
    wino_products(V, U, M, n, CI, CO);
    for (int s = 0; s < n; s++) {
      int t = t0 + s, b = t / (TH * TW), ti = (t / TW) % TH, tj = t % TW;
      float* ob = out + b * OH * OW * CO;
      for (int co = 0; co < CO; co += 4) wino_output(M, ob, bias, s, co, OH, OW, CO, 2 * ti, 2 * tj, relu);
    }
  }
}

/*
 * The filter gradient of a 3×3 stride-1 convolution by Winograd's F(3×3, 2×2), the transpose of
 * F(2×2, 3×3): for every 2×2 block of dy and the 4×4 input block under it,
 *   dW += Gᵀ [ (A dy Aᵀ) ⊙ (Bᵀ x B) ] G
 * and since this is linear the sum over blocks is taken in the transformed domain (16 matrix
 * products reducing over blocks), with one output transform at the end.
 * Requires CI % 4 = 0 and CO % 4 = 0.
 * scratch: 16·CI·CO + 16·(WINO_TB·(CI + CO) + 2·WINO_PAD) floats.
 */

/* A dy Aᵀ of the 2×2 dy block at (i0, j0) (zero past the edges), 4 channels, into Y[ξ][slot][co]. */
INLINE void wino_grad_dy(const float* db, float* Y, int slot, int co, int OH, int OW, int CO, int i0, int j0) {
  f4 d[2][2], t[4][2];
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 2; c++) d[r][c] = i0 + r < OH && j0 + c < OW ? ld(db + ((i0 + r) * OW + j0 + c) * CO + co) : splat(0.f);
  for (int c = 0; c < 2; c++) {
    t[0][c] = d[0][c];
    t[1][c] = add(d[0][c], d[1][c]);
    t[2][c] = wasm_f32x4_sub(d[0][c], d[1][c]);
    t[3][c] = wasm_f32x4_neg(d[1][c]);
  }
  const int stride = WINO_TB * CO + WINO_PAD;
  float* y = Y + slot * CO + co;
  for (int r = 0; r < 4; r++) {
    st(y + (r * 4 + 0) * stride, t[r][0]);
    st(y + (r * 4 + 1) * stride, add(t[r][0], t[r][1]));
    st(y + (r * 4 + 2) * stride, wasm_f32x4_sub(t[r][0], t[r][1]));
    st(y + (r * 4 + 3) * stride, wasm_f32x4_neg(t[r][1]));
  }
}

/* P[ξ][ci][co] += Σ_slot V[ξ][slot][ci] · Y[ξ][slot][co] over n slots, 4×8 (or 4×4) register tiles. */
INLINE void wino_grad_products(const float* V, const float* Y, float* P, int n, int CI, int CO) {
  for (int k = 0; k < 16; k++) {
    const float* v = V + k * (WINO_TB * CI + WINO_PAD);
    const float* y = Y + k * (WINO_TB * CO + WINO_PAD);
    float* p = P + k * CI * CO;
    for (int ci = 0; ci < CI; ci += 4)
      for (int co = 0; co < CO; co += 8) {
        int V2 = co + 8 <= CO;
        float* pr = p + ci * CO + co;
        f4 a00 = ld(pr), a10 = ld(pr + CO), a20 = ld(pr + 2 * CO), a30 = ld(pr + 3 * CO);
        f4 a01 = V2 ? ld(pr + 4) : splat(0.f), a11 = V2 ? ld(pr + CO + 4) : splat(0.f);
        f4 a21 = V2 ? ld(pr + 2 * CO + 4) : splat(0.f), a31 = V2 ? ld(pr + 3 * CO + 4) : splat(0.f);
        const float* vs = v + ci;
        const float* ys = y + co;
        for (int s = 0; s < n; s++, vs += CI, ys += CO) {
          f4 y0 = ld(ys), y1 = V2 ? ld(ys + 4) : splat(0.f);
          f4 x0 = splat(vs[0]), x1 = splat(vs[1]), x2 = splat(vs[2]), x3 = splat(vs[3]);
          a00 = madd(x0, y0, a00); a10 = madd(x1, y0, a10); a20 = madd(x2, y0, a20); a30 = madd(x3, y0, a30);
          if (V2) { a01 = madd(x0, y1, a01); a11 = madd(x1, y1, a11); a21 = madd(x2, y1, a21); a31 = madd(x3, y1, a31); }
        }
        st(pr, a00); st(pr + CO, a10); st(pr + 2 * CO, a20); st(pr + 3 * CO, a30);
        if (V2) { st(pr + 4, a01); st(pr + CO + 4, a11); st(pr + 2 * CO + 4, a21); st(pr + 3 * CO + 4, a31); }
      }
  }
}

EXPORT(conv3x3_winograd_filter_grad)
void conv3x3_winograd_filter_grad(const float* x, const float* dy, float* dw, float* scratch,
                                  int B, int H, int W, int CI, int OH, int OW, int CO, int PT, int PL) {
  float* P = scratch;
  float* V = P + 16 * CI * CO;
  float* Y = V + 16 * (WINO_TB * CI + WINO_PAD);
  zero(P, 16 * CI * CO);
  const int TH = (OH + 1) / 2, TW = (OW + 1) / 2, T = B * TH * TW;
  for (int t0 = 0; t0 < T; t0 += WINO_TB) {
    int n = T - t0 < WINO_TB ? T - t0 : WINO_TB;
    for (int s = 0; s < n; s++) {
      int t = t0 + s, b = t / (TH * TW), ti = (t / TW) % TH, tj = t % TW;
      for (int ci = 0; ci < CI; ci += 4) wino_input(x + b * H * W * CI, V, s, ci, H, W, CI, 2 * ti - PT, 2 * tj - PL);
      for (int co = 0; co < CO; co += 4) wino_grad_dy(dy + b * OH * OW * CO, Y, s, co, OH, OW, CO, 2 * ti, 2 * tj);
    }
    wino_grad_products(V, Y, P, n, CI, CO);
  }
  /* dW = Gᵀ P G, Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]] */
  const f4 half = splat(0.5f);
  for (int ci = 0; ci < CI; ci++)
    for (int co = 0; co < CO; co += 4) {
      f4 p[4][4], s[3][4];
      for (int k = 0; k < 16; k++) p[k / 4][k % 4] = ld(P + (k * CI + ci) * CO + co);
      for (int c = 0; c < 4; c++) {
        f4 h12 = mul(add(p[1][c], p[2][c]), half);
        s[0][c] = add(p[0][c], h12);
        s[1][c] = mul(wasm_f32x4_sub(p[1][c], p[2][c]), half);
        s[2][c] = add(h12, p[3][c]);
      }
      for (int r = 0; r < 3; r++) {
        f4 h12 = mul(add(s[r][1], s[r][2]), half);
        st(dw + ((r * 3 + 0) * CI + ci) * CO + co, add(s[r][0], h12));
        st(dw + ((r * 3 + 1) * CI + ci) * CO + co, mul(wasm_f32x4_sub(s[r][1], s[r][2]), half));
        st(dw + ((r * 3 + 2) * CI + ci) * CO + co, add(h12, s[r][3]));
      }
    }
}
