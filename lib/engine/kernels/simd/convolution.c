#include "convTile.h"

/* One output value of channel co (for the last CO % 4 channels), CI summed four at a time. */
INLINE float conv_point(const float* x, const float* wt, int W, int CI, int FW, int DH, int DW, int kh0, int kh1, int kw0, int kw1) {
  f4 acc = splat(0.f);
  float a = 0.f;
  for (int kh = kh0; kh < kh1; kh++)
    for (int kw = kw0; kw < kw1; kw++) {
      const float* xr = x + ((kh - kh0) * DH * W + (kw - kw0) * DW) * CI;
      const float* wr = wt + (kh * FW + kw) * CI;
      int ci = 0;
      for (; ci + 4 <= CI; ci += 4) acc = madd(ld(xr + ci), ld(wr + ci), acc);
      for (; ci < CI; ci++) a += xr[ci] * wr[ci];
    }
  return a + (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) + (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
}

/*
 * Channel co (one of the last CO % 4) of TILE_P = 4 neighbouring interior pixels at once: with DW = 1
 * each filter row's (kw, ci) taps are one contiguous run in x and in wt, summed four at a time for
 * the four pixels and reduced together at the end (a 4×4 transpose of the partial sums).
 */
INLINE f4 conv_point4(const float* x, const float* wt, int W, int CI, int FW, int SW, int DH, int kh0, int kh1) {
  f4 a0 = splat(0.f), a1 = a0, a2 = a0, a3 = a0;
  float t0 = 0.f, t1 = 0.f, t2 = 0.f, t3 = 0.f;
  const int run = FW * CI, ps = SW * CI;
  for (int kh = kh0; kh < kh1; kh++) {
    const float* xr = x + (kh - kh0) * DH * W * CI;
    const float* wr = wt + kh * run;
    int c = 0;
    for (; c + 4 <= run; c += 4) {
      f4 w = ld(wr + c);
      a0 = madd(ld(xr + c), w, a0);
      a1 = madd(ld(xr + ps + c), w, a1);
      a2 = madd(ld(xr + 2 * ps + c), w, a2);
      a3 = madd(ld(xr + 3 * ps + c), w, a3);
    }
    for (; c < run; c++) {
      float w = wr[c];
      t0 += xr[c] * w; t1 += xr[ps + c] * w; t2 += xr[2 * ps + c] * w; t3 += xr[3 * ps + c] * w;
    }
  }
  f4 s01 = add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  f4 s23 = add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  f4 sum = add(wasm_i32x4_shuffle(s01, s23, 0, 1, 4, 5), wasm_i32x4_shuffle(s01, s23, 2, 3, 6, 7));
  return add(sum, wasm_f32x4_make(t0, t1, t2, t3));
}

/* output pixels per register tile (4 × 8 channels = 8 accumulators; more spill on x64) */
#define TILE_P 4

/* All output channels of one pixel (or of TILE_P neighbours when the tile is interior). */
INLINE void conv_pixels(const float* x, const float* w, const float* wt, const float* bias, float* out, int P,
                        int W, int CI, int CO, int FH, int FW, int SW, int DH, int DW, int kh0, int kh1, int kw0, int kw1, int relu) {
  int co = 0;
  for (; co + 8 <= CO; co += 8) conv_tile(x, w + co, bias ? bias + co : 0, out + co, P, 2, W, CI, CO, FW, SW, DH, DW, kh0, kh1, kw0, kw1, relu);
  for (; co + 4 <= CO; co += 4) conv_tile(x, w + co, bias ? bias + co : 0, out + co, P, 1, W, CI, CO, FW, SW, DH, DW, kh0, kh1, kw0, kw1, relu);
  if (P == 4 && DW == 1 && kw0 == 0 && kw1 == FW)
    for (; co < CO; co++) {
      f4 v = add(conv_point4(x, wt + co * FH * FW * CI, W, CI, FW, SW, DH, kh0, kh1), splat(bias ? bias[co] : 0.f));
      if (relu) v = wasm_f32x4_max(v, splat(0.f));
      out[co] = wasm_f32x4_extract_lane(v, 0);
      out[CO + co] = wasm_f32x4_extract_lane(v, 1);
      out[2 * CO + co] = wasm_f32x4_extract_lane(v, 2);
      out[3 * CO + co] = wasm_f32x4_extract_lane(v, 3);
    }
  for (; co < CO; co++)
    for (int p = 0; p < P; p++) {
      float v = conv_point(x + p * SW * CI, wt + co * FH * FW * CI, W, CI, FW, DH, DW, kh0, kh1, kw0, kw1) + (bias ? bias[co] : 0.f);
      out[p * CO + co] = relu && v < 0.f ? 0.f : v;
    }
}

/*
 * `wt` is w transposed to [CO, FH, FW, CI], used for the CO % 4 channels that do not fill a vector
 * (a convolution to 1 channel, e.g. the input gradient of a first layer on grey images).
 */
EXPORT(conv2d)
void conv2d(const float* x, const float* w, const float* wt, const float* bias, float* out, int B, int H, int W, int CI,
            int OH, int OW, int CO, int FH, int FW, int SH, int SW, int DH, int DW, int PT, int PL, int relu) {
  /* columns whose taps all fall inside the input */
  int jlo = lo_index(PL, 0, SW), jhi = hi_index(W, PL, (FW - 1) * DW, SW, OW);
  for (int b = 0; b < B; b++) {
    for (int i = 0; i < OH; i++) {
      int r0 = i * SH - PT;
      int kh0 = r0 >= 0 ? 0 : (-r0 + DH - 1) / DH;
      int kh1 = FH;
      while (kh1 > kh0 && r0 + (kh1 - 1) * DH >= H) kh1--;
      const float* xb = x + (long)b * H * W * CI;
      float* orow = out + ((b * OH + i) * OW) * CO;
      for (int j = 0; j < OW;) {
        int c0 = j * SW - PL;
        /* x is passed at the first tap inside the image, never before the tensor's start */
        if (j >= jlo && j + TILE_P <= jhi) {
          conv_pixels(xb + ((r0 + kh0 * DH) * W + c0) * CI, w, wt, bias, orow + j * CO, TILE_P, W, CI, CO, FH, FW, SW, DH, DW, kh0, kh1, 0, FW, relu);
          j += TILE_P;
          continue;
        }
        int kw0 = c0 >= 0 ? 0 : (-c0 + DW - 1) / DW;
        int kw1 = FW;
        while (kw1 > kw0 && c0 + (kw1 - 1) * DW >= W) kw1--;
        conv_pixels(xb + ((r0 + kh0 * DH) * W + c0 + kw0 * DW) * CI, w, wt, bias, orow + j * CO, 1, W, CI, CO, FH, FW, SW, DH, DW, kh0, kh1, kw0, kw1, relu);
        j++;
      }
    }
  }
}

/* w [FH,FW,CI,CO] → out [FH,FW,CO,CI] flipped in both spatial axes: the filter of a transposed convolution. */
EXPORT(flip_filter)
void flip_filter(const float* w, float* out, int FH, int FW, int CI, int CO) {
  for (int kh = 0; kh < FH; kh++)
    for (int kw = 0; kw < FW; kw++) {
      const float* src = w + ((FH - 1 - kh) * FW + (FW - 1 - kw)) * CI * CO;
      float* dst = out + (kh * FW + kw) * CO * CI;
      for (int ci = 0; ci < CI; ci++)
        for (int co = 0; co < CO; co++) dst[co * CI + ci] = src[ci * CO + co];
    }
}

