/*
 * tslab-xai: hand-written WebAssembly SIMD kernels for the gradients that tfjs 4.22's wasm backend
 * runs slowly (a scalar loop, or XNNPACK with a costly weight-packing step for these shapes).
 *
 * The module imports the wasm backend's own memory ("env"."memory"), so every pointer below is a
 * tensor's offset on the backend's heap: no copies in or out. It has no data segment and uses no
 * stack (every local lives in a wasm local), so it never writes anywhere but its outputs.
 *
 * Build: ./build.sh (clang ≥ 14 with the wasm32 target and wasm-ld; Debian: apt-get install clang lld).
 * All tensors are float32, NHWC, dense.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define INLINE static inline __attribute__((always_inline))

typedef v128_t f4;

INLINE f4 ld(const float* p) { return wasm_v128_load(p); }
INLINE void st(float* p, f4 v) { wasm_v128_store(p, v); }
INLINE f4 add(f4 a, f4 b) { return wasm_f32x4_add(a, b); }
INLINE f4 mul(f4 a, f4 b) { return wasm_f32x4_mul(a, b); }
INLINE f4 splat(float v) { return wasm_f32x4_splat(v); }

INLINE void zero(float* p, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) st(p + i, splat(0.f));
  for (; i < n; i++) p[i] = 0.f;
}

/* First and one-past-last output index whose tap `k` lands inside [0, size). */
INLINE int lo_index(int pad, int k, int stride) {
  int d = pad - k;
  return d <= 0 ? 0 : (d + stride - 1) / stride;
}
INLINE int hi_index(int size, int pad, int k, int stride, int out) {
  int d = size - 1 + pad - k;
  if (d < 0) return 0;
  int h = d / stride + 1;
  return h < out ? h : out;
}

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
    a0 = add(a0, mul(s, d0));                     \
    if (V > 1) a1 = add(a1, mul(s, d1));          \
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

/*
 * MaxPoolGrad: each window's dy goes to its first tap (row-major, padding skipped) equal to the
 * window's maximum y, as on tfjs's cpu backend and in TensorFlow. Overlapping windows add up.
 */
/*
 * Windows that tile the input (stride = window, no padding, C % 4 = 0): every tap is written once,
 * dy or 0, so dx needs no zeroing and no read-modify-write; rows and columns past the last window
 * are zeroed.
 */
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
    max_pool_grad_tiled(x, y, dy, dx, B, H, W, C, OH, OW, FH, FW);
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
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          f4 yv = ld(y + o + c), gv = ld(dy + o + c), found = wasm_i32x4_splat(0);
          for (int kh = 0; kh < FH; kh++) {
            int r = r0 + kh;
            if (r < 0 || r >= H) continue;
            for (int kw = 0; kw < FW; kw++) {
              int q = q0 + kw;
              if (q < 0 || q >= W) continue;
              int p = (r * W + q) * C + c;
              f4 hit = wasm_v128_andnot(wasm_f32x4_eq(ld(xb + p), yv), found);
              found = wasm_v128_or(found, hit);
              st(gb + p, add(ld(gb + p), wasm_v128_and(gv, hit)));
            }
          }
        }
        for (; c < C; c++) {
          float yv = y[o + c];
          int done = 0;
          for (int kh = 0; kh < FH && !done; kh++) {
            int r = r0 + kh;
            if (r < 0 || r >= H) continue;
            for (int kw = 0; kw < FW; kw++) {
              int q = q0 + kw;
              if (q < 0 || q >= W) continue;
              int p = (r * W + q) * C + c;
              if (xb[p] == yv) { gb[p] += dy[o + c]; done = 1; break; }
            }
          }
        }
      }
    }
  }
}

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

/*
 * Direct convolution, NHWC: out[b,i,j,co] = act(bias[co] + Σ_{kh,kw,ci} x[b, i·SH+kh·DH−PT, j·SW+kw·DW−PL, ci]
 * · w[kh,kw,ci,co]), taps outside the input skipped (zero padding). Register tiles of P output
 * pixels × 8 output channels; `bias` 0 means none, `relu` 1 clamps at 0.
 */
#define CONV_ROW(p, a0, a1)                                                 \
  if (P > p) {                                                              \
    f4 s = splat(xr[p * pstep + ci]);                                       \
    a0 = add(a0, mul(s, w0));                                               \
    if (V > 1) a1 = add(a1, mul(s, w1));                                    \
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
  for (int kh = kh0; kh < kh1; kh++) {
    for (int kw = kw0; kw < kw1; kw++) {
      const float* xr = x + (kh * DH * W + kw * DW) * CI;
      const float* wr = w + (kh * FW + kw) * CI * CO;
      for (int ci = 0; ci < CI; ci++, wr += CO) {
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

/* One output value of channel co (for the last CO % 4 channels), CI summed four at a time. */
INLINE float conv_point(const float* x, const float* wt, int W, int CI, int FW, int DH, int DW, int kh0, int kh1, int kw0, int kw1) {
  f4 acc = splat(0.f);
  float a = 0.f;
  for (int kh = kh0; kh < kh1; kh++)
    for (int kw = kw0; kw < kw1; kw++) {
      const float* xr = x + (kh * DH * W + kw * DW) * CI;
      const float* wr = wt + (kh * FW + kw) * CI;
      int ci = 0;
      for (; ci + 4 <= CI; ci += 4) acc = add(acc, mul(ld(xr + ci), ld(wr + ci)));
      for (; ci < CI; ci++) a += xr[ci] * wr[ci];
    }
  return a + (wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1)) + (wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3));
}

/* output pixels per register tile (4 × 8 channels = 8 accumulators; more spill on x64) */
#define TILE_P 4

/* All output channels of one pixel (or of TILE_P neighbours when the tile is interior). */
INLINE void conv_pixels(const float* x, const float* w, const float* wt, const float* bias, float* out, int P,
                        int W, int CI, int CO, int FH, int FW, int SW, int DH, int DW, int kh0, int kh1, int kw0, int kw1, int relu) {
  int co = 0;
  for (; co + 8 <= CO; co += 8) conv_tile(x, w + co, bias ? bias + co : 0, out + co, P, 2, W, CI, CO, FW, SW, DH, DW, kh0, kh1, kw0, kw1, relu);
  for (; co + 4 <= CO; co += 4) conv_tile(x, w + co, bias ? bias + co : 0, out + co, P, 1, W, CI, CO, FW, SW, DH, DW, kh0, kh1, kw0, kw1, relu);
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
        if (j >= jlo && j + TILE_P <= jhi) {
          conv_pixels(xb + (r0 * W + c0) * CI, w, wt, bias, orow + j * CO, TILE_P, W, CI, CO, FH, FW, SW, DH, DW, kh0, kh1, 0, FW, relu);
          j += TILE_P;
          continue;
        }
        int kw0 = c0 >= 0 ? 0 : (-c0 + DW - 1) / DW;
        int kw1 = FW;
        while (kw1 > kw0 && c0 + (kw1 - 1) * DW >= W) kw1--;
        conv_pixels(xb + (r0 * W + c0) * CI, w, wt, bias, orow + j * CO, 1, W, CI, CO, FH, FW, SW, DH, DW, kh0, kh1, kw0, kw1, relu);
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
          a00 = add(a00, mul(x0, y0)); a10 = add(a10, mul(x1, y0)); a20 = add(a20, mul(x2, y0)); a30 = add(a30, mul(x3, y0));
          if (V2) { a01 = add(a01, mul(x0, y1)); a11 = add(a11, mul(x1, y1)); a21 = add(a21, mul(x2, y1)); a31 = add(a31, mul(x3, y1)); }
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
