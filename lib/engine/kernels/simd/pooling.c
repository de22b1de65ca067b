#include "simd.h"

/*
 * MaxPoolGrad: each window's dy goes to its first tap (row-major, padding skipped) equal to the
 * window's maximum y, as on tfjs's cpu backend and in TensorFlow. Overlapping windows add up.
 */
/*
 * Windows that tile the input (stride = window, no padding, C % 4 = 0): every tap is written once,
 * dy or 0, so dx needs no zeroing and no read-modify-write; rows and columns past the last window
 * are zeroed.
 */
/* 2×2 windows of the tiled case, unrolled: the four taps of 4 channels tested in row-major order. */
INLINE void max_pool_grad_2x2(const float* x, const float* y, const float* dy, float* dx, int B, int H, int W, int C, int OH, int OW) {
  const int row = W * C;
  for (int b = 0; b < B; b++) {
    const float* xb = x + b * H * W * C;
    float* gb = dx + b * H * W * C;
    for (int i = 0; i < OH; i++) {
      const float* yr = y + (b * OH + i) * OW * C;
      const float* dr = dy + (b * OH + i) * OW * C;
      for (int j = 0; j < OW; j++) {
        int p = (2 * i * W + 2 * j) * C;
        for (int c = 0; c < C; c += 4, p += 4) {
          f4 yv = ld(yr + j * C + c), gv = ld(dr + j * C + c);
          f4 h0 = wasm_f32x4_eq(ld(xb + p), yv);
          f4 h1 = wasm_v128_andnot(wasm_f32x4_eq(ld(xb + p + C), yv), h0);
          f4 f01 = wasm_v128_or(h0, h1);
          f4 h2 = wasm_v128_andnot(wasm_f32x4_eq(ld(xb + p + row), yv), f01);
          f4 h3 = wasm_v128_andnot(wasm_f32x4_eq(ld(xb + p + row + C), yv), wasm_v128_or(f01, h2));
          st(gb + p, wasm_v128_and(gv, h0));
          st(gb + p + C, wasm_v128_and(gv, h1));
          st(gb + p + row, wasm_v128_and(gv, h2));
          st(gb + p + row + C, wasm_v128_and(gv, h3));
        }
      }
      if (OW * 2 < W)
        for (int kh = 0; kh < 2; kh++) zero(gb + ((i * 2 + kh) * W + OW * 2) * C, (W - OW * 2) * C);
    }
    if (OH * 2 < H) zero(gb + OH * 2 * W * C, (H - OH * 2) * W * C);
  }
}

INLINE void max_pool_grad_tiled(const float* x, const float* y, const float* dy, float* dx, int B, int H, int W, int C,
                                int OH, int OW, int FH, int FW) {
  for (int b = 0; b < B; b++) {
    const float* xb = x + b * H * W * C;
    float* gb = dx + b * H * W * C;
    for (int i = 0; i < OH; i++) {
      for (int j = 0; j < OW; j++) {
        int o = ((b * OH + i) * OW + j) * C;
        for (int c = 0; c < C; c += 4) {
          f4 yv = ld(y + o + c), gv = ld(dy + o + c), found = wasm_i32x4_splat(0);
          for (int kh = 0; kh < FH; kh++) {
            int p = ((i * FH + kh) * W + j * FW) * C + c;
            for (int kw = 0; kw < FW; kw++, p += C) {
              f4 hit = wasm_v128_andnot(wasm_f32x4_eq(ld(xb + p), yv), found);
              found = wasm_v128_or(found, hit);
              st(gb + p, wasm_v128_and(gv, hit));
            }
          }
        }
      }
      if (OW * FW < W)
        for (int kh = 0; kh < FH; kh++) zero(gb + ((i * FH + kh) * W + OW * FW) * C, (W - OW * FW) * C);
    }
    if (OH * FH < H) zero(gb + OH * FH * W * C, (H - OH * FH) * W * C);
  }
}

EXPORT(max_pool_grad)
void max_pool_grad(const float* x, const float* y, const float* dy, float* dx, int B, int H, int W, int C,
                   int OH, int OW, int FH, int FW, int SH, int SW, int PT, int PL) {
  if (SH == FH && SW == FW && PT == 0 && PL == 0 && C % 4 == 0 && OH * FH <= H && OW * FW <= W) {
    if (FH == 2 && FW == 2) max_pool_grad_2x2(x, y, dy, dx, B, H, W, C, OH, OW);
    else max_pool_grad_tiled(x, y, dy, dx, B, H, W, C, OH, OW, FH, FW);
    return;
  }
  zero(dx, B * H * W * C);
  for (int b = 0; b < B; b++) {
    const float* xb = x + b * H * W * C;
    float* gb = dx + b * H * W * C;
    for (int i = 0; i < OH; i++) {
      int r0 = i * SH - PT;
      for (int j = 0; j < OW; j++) {
        int q0 = j * SW - PL;
        int o = ((b * OH + i) * OW + j) * C;
        /* taps of the window inside the image, row-major: kh0..kh1 × kw0..kw1 */
        int kh0 = r0 < 0 ? -r0 : 0, kh1 = r0 + FH > H ? H - r0 : FH;
        int kw0 = q0 < 0 ? -q0 : 0, kw1 = q0 + FW > W ? W - q0 : FW;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          f4 yv = ld(y + o + c), gv = ld(dy + o + c), found = wasm_i32x4_splat(0);
          for (int kh = kh0; kh < kh1; kh++)
            for (int kw = kw0; kw < kw1; kw++) {
              int p = ((r0 + kh) * W + q0 + kw) * C + c;
              f4 hit = wasm_v128_andnot(wasm_f32x4_eq(ld(xb + p), yv), found);
              found = wasm_v128_or(found, hit);
              st(gb + p, add(ld(gb + p), wasm_v128_and(gv, hit)));
            }
        }
        for (; c < C; c++) {
          int p = -1;
          for (int kh = kh0; kh < kh1 && p < 0; kh++)
            for (int kw = kw0; kw < kw1 && p < 0; kw++)
              if (xb[((r0 + kh) * W + q0 + kw) * C + c] == y[o + c]) p = ((r0 + kh) * W + q0 + kw) * C + c;
          if (p >= 0) gb[p] += dy[o + c];
        }
      }
    }
  }
}

