#include "simd.h"

/*
 * One register tile of the filter gradient: R input channels × V·4 output channels, accumulated
 * over the valid outputs (i, j) of one image for one filter tap.
 */
INLINE void dw_tile(const float* x, const float* dy, float* dw, int R, int V,
                    int W, int CI, int OW, int CO, int SH, int SW,
                    int i0, int i1, int j0, int j1, int row0, int col0) {
  f4 a00 = ld(dw), a01 = V > 1 ? ld(dw + 4) : splat(0.f);
  f4 a10 = R > 1 ? ld(dw + CO) : splat(0.f), a11 = R > 1 && V > 1 ? ld(dw + CO + 4) : splat(0.f);
  f4 a20 = R > 2 ? ld(dw + 2 * CO) : splat(0.f), a21 = R > 2 && V > 1 ? ld(dw + 2 * CO + 4) : splat(0.f);
  f4 a30 = R > 3 ? ld(dw + 3 * CO) : splat(0.f), a31 = R > 3 && V > 1 ? ld(dw + 3 * CO + 4) : splat(0.f);
/* row r of the tile: acc_r += x[r] · dy (both vectors when V = 2) */
#define TILE_ROW(r, a0, a1)                       \
  if (R > r) {                                    \
    f4 s = splat(xr[r]);                          \
    a0 = madd(s, d0, a0);                     \
    if (V > 1) a1 = madd(s, d1, a1);          \
  }
  for (int i = i0; i < i1; i++) {
    const float* xr = x + ((i * SH + row0) * W + j0 * SW + col0) * CI;
    const float* d = dy + (i * OW + j0) * CO;
    for (int j = j0; j < j1; j++, xr += SW * CI, d += CO) {
      f4 d0 = ld(d), d1 = V > 1 ? ld(d + 4) : splat(0.f);
      TILE_ROW(0, a00, a01)
      TILE_ROW(1, a10, a11)
      TILE_ROW(2, a20, a21)
      TILE_ROW(3, a30, a31)
    }
  }
#undef TILE_ROW
  st(dw, a00);
  if (V > 1) st(dw + 4, a01);
  if (R > 1) { st(dw + CO, a10); if (V > 1) st(dw + CO + 4, a11); }
  if (R > 2) { st(dw + 2 * CO, a20); if (V > 1) st(dw + 2 * CO + 4, a21); }
  if (R > 3) { st(dw + 3 * CO, a30); if (V > 1) st(dw + 3 * CO + 4, a31); }
}

/* Scalar tile for the last CO % 4 output channels. */
INLINE void dw_scalar(const float* x, const float* dy, float* dw, int W, int CI, int OW, int CO,
                      int SH, int SW, int i0, int i1, int j0, int j1, int row0, int col0) {
  float a = *dw;
  for (int i = i0; i < i1; i++)
    for (int j = j0; j < j1; j++)
      a += x[((i * SH + row0) * W + j * SW + col0) * CI] * dy[(i * OW + j) * CO];
  *dw = a;
}

/*
 * Conv2DBackpropFilter: dw[kh,kw,ci,co] = Σ_{b,i,j} x[b, i·sh+kh−pt, j·sw+kw−pl, ci] · dy[b,i,j,co].
 * Image by image (its x and dy stay in L1/L2), tap by tap, in 4×8 register tiles.
 */
EXPORT(conv2d_backprop_filter)
void conv2d_backprop_filter(const float* x, const float* dy, float* dw, int B, int H, int W, int CI,
                            int OH, int OW, int CO, int FH, int FW, int SH, int SW, int PT, int PL) {
  zero(dw, FH * FW * CI * CO);
  for (int b = 0; b < B; b++) {
    const float* xb = x + b * H * W * CI;
    const float* db = dy + b * OH * OW * CO;
    for (int kh = 0; kh < FH; kh++) {
      int i0 = lo_index(PT, kh, SH), i1 = hi_index(H, PT, kh, SH, OH);
      if (i0 >= i1) continue;
      for (int kw = 0; kw < FW; kw++) {
        int j0 = lo_index(PL, kw, SW), j1 = hi_index(W, PL, kw, SW, OW);
        if (j0 >= j1) continue;
        int row0 = kh - PT, col0 = kw - PL;
        float* dtap = dw + (kh * FW + kw) * CI * CO;
        int ci = 0;
        for (; ci + 4 <= CI; ci += 4) {
          const float* xc = xb + ci;
          float* dc = dtap + ci * CO;
          int co = 0;
          for (; co + 8 <= CO; co += 8) dw_tile(xc, db + co, dc + co, 4, 2, W, CI, OW, CO, SH, SW, i0, i1, j0, j1, row0, col0);
          for (; co + 4 <= CO; co += 4) dw_tile(xc, db + co, dc + co, 4, 1, W, CI, OW, CO, SH, SW, i0, i1, j0, j1, row0, col0);
          for (; co < CO; co++)
            for (int r = 0; r < 4; r++) dw_scalar(xc + r, db + co, dc + r * CO + co, W, CI, OW, CO, SH, SW, i0, i1, j0, j1, row0, col0);
        }
        for (; ci < CI; ci++) {
          const float* xc = xb + ci;
          float* dc = dtap + ci * CO;
          int co = 0;
          for (; co + 8 <= CO; co += 8) dw_tile(xc, db + co, dc + co, 1, 2, W, CI, OW, CO, SH, SW, i0, i1, j0, j1, row0, col0);
          for (; co + 4 <= CO; co += 4) dw_tile(xc, db + co, dc + co, 1, 1, W, CI, OW, CO, SH, SW, i0, i1, j0, j1, row0, col0);
          for (; co < CO; co++) dw_scalar(xc, db + co, dc + co, W, CI, OW, CO, SH, SW, i0, i1, j0, j1, row0, col0);
        }
      }
    }
  }
}

