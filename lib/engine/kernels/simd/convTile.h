/*
 * The register tile shared by the direct convolution and the Winograd products: P output pixels
 * (rows) × V·4 output channels, accumulated over the taps [kh0, kh1) × [kw0, kw1) and the input
 * channels.
 */
#ifndef TSLAB_XAI_CONV_TILE_H
#define TSLAB_XAI_CONV_TILE_H
#include "simd.h"

/*
 * Direct convolution, NHWC: out[b,i,j,co] = act(bias[co] + Σ_{kh,kw,ci} x[b, i·SH+kh·DH−PT, j·SW+kw·DW−PL, ci]
 * · w[kh,kw,ci,co]), taps outside the input skipped (zero padding). Register tiles of P output
 * pixels × 8 output channels; `bias` 0 means none, `relu` 1 clamps at 0.
 */
#define CONV_ROW(p, a0, a1)                                                 \
  if (P > p) {                                                              \
    f4 s = splat(xr[p * pstep + ci]);                                       \
    a0 = madd(s, w0, a0);                                               \
    if (V > 1) a1 = madd(s, w1, a1);                                    \
  }
#define CONV_OUT(p, a0, a1)                                                 \
  if (P > p) {                                                              \
    if (relu) { a0 = wasm_f32x4_max(a0, splat(0.f)); a1 = wasm_f32x4_max(a1, splat(0.f)); } \
    st(out + p * CO, a0);                                                   \
    if (V > 1) st(out + p * CO + 4, a1);                                    \
  }
INLINE void conv_tile(const float* x, const float* w, const float* bias, float* out, int P, int V,
                      int W, int CI, int CO, int FW, int SW, int DH, int DW, int kh0, int kh1, int kw0, int kw1, int relu) {
  f4 b0 = bias ? ld(bias) : splat(0.f), b1 = V > 1 ? (bias ? ld(bias + 4) : splat(0.f)) : splat(0.f);
  f4 a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
  const int pstep = SW * CI;
  /* with DW = 1 the (kw, ci) pairs of one filter row are one contiguous run in x and in w */
  const int kwStep = DW == 1 ? kw1 - kw0 : 1;
  for (int kh = kh0; kh < kh1; kh++) {
    for (int kw = kw0; kw < kw1; kw += kwStep) {
      const float* xr = x + ((kh - kh0) * DH * W + (kw - kw0) * DW) * CI;
      const float* wr = w + (kh * FW + kw) * CI * CO;
      const int run = kwStep * CI;
      for (int ci = 0; ci < run; ci++, wr += CO) {
        f4 w0 = ld(wr), w1 = V > 1 ? ld(wr + 4) : splat(0.f);
        CONV_ROW(0, a00, a01)
        CONV_ROW(1, a10, a11)
        CONV_ROW(2, a20, a21)
        CONV_ROW(3, a30, a31)
      }
    }
  }
  CONV_OUT(0, a00, a01)
  CONV_OUT(1, a10, a11)
  CONV_OUT(2, a20, a21)
  CONV_OUT(3, a30, a31)
}
#undef CONV_ROW
#undef CONV_OUT

#endif
