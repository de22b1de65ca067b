#include "simd.h"

/*
 * C[M,N] = A·B for any strides: A(i,k) = A[i·ars + k·acs], B(k,j) = B[k·brs + j·bcs], so one kernel
 * serves A·B, Aᵀ·B, A·Bᵀ and Aᵀ·Bᵀ (a transposed operand is read in place, never copied whole).
 *
 * Blocked as in Goto & van de Geijn, "Anatomy of high-performance matrix multiplication" (2008):
 * B is packed in KC×NC blocks of NR-wide column panels, A in MC×KC blocks of MR-tall row panels,
 * and an MR×NR register tile (MR·NR/4 SIMD accumulators) runs over each panel pair. Edge tiles are
 * computed in full on zero-padded panels and only their valid part is written. Every product is
 * computed (no skipping of zeros), so NaN and Inf propagate as in the plain triple loop.
 *
 * `pack` is scratch space of gemm_scratch_floats() floats. gemm_acc(…, acc = 1) adds to C instead.
 */

#define MR 6
#define NR 8
#define KC 256
#define MC 72
#define NC 512
/* at most this many columns (NR-wide panels: 8), A is read in place instead of packed */
#define DIRECT_A_MAX_N 64

EXPORT(gemm_scratch_floats)
int gemm_scratch_floats(void) { return MC * KC + KC * NC + MR * NR; }

/* B(k0..k0+kc, j0..j0+nc) → panels of NR columns, each kc rows of NR values (zero-padded). */
static void pack_b(const float* B, int brs, int bcs, int k0, int kc, int j0, int nc, float* out) {
  for (int j = 0; j < nc; j += NR) {
    int nr = nc - j < NR ? nc - j : NR;
    const float* src = B + k0 * brs + (j0 + j) * bcs;
    if (bcs == 1 && nr == NR) {
      for (int k = 0; k < kc; k++, src += brs, out += NR) {
        st(out, ld(src));
        st(out + 4, ld(src + 4));
      }
    } else if (brs == 1 && nr == NR) {
      /* B transposed (q·kᵀ, dy·Wᵀ): each column is contiguous along k; 4×4 blocks transposed in registers */
      int k = 0;
      for (; k + 4 <= kc; k += 4, out += 4 * NR)
        for (int h = 0; h < 2; h++) {
          const float* s0 = src + k + (4 * h) * bcs;
          f4 c0 = ld(s0), c1 = ld(s0 + bcs), c2 = ld(s0 + 2 * bcs), c3 = ld(s0 + 3 * bcs);
          f4 t0 = wasm_i32x4_shuffle(c0, c1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(c0, c1, 2, 6, 3, 7);
          f4 t2 = wasm_i32x4_shuffle(c2, c3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(c2, c3, 2, 6, 3, 7);
          st(out + 4 * h, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
          st(out + NR + 4 * h, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
          st(out + 2 * NR + 4 * h, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
          st(out + 3 * NR + 4 * h, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
        }
      for (; k < kc; k++, out += NR)
        for (int c = 0; c < NR; c++) out[c] = src[k + c * bcs];
    } else {
      for (int k = 0; k < kc; k++, src += brs, out += NR) {
        int c = 0;
        for (; c < nr; c++) out[c] = src[c * bcs];
        for (; c < NR; c++) out[c] = 0.f;
      }
    }
  }
}

/* A(i0..i0+mc, k0..k0+kc) → panels of MR rows, each kc columns of MR values (zero-padded). */
static void pack_a(const float* A, int ars, int acs, int i0, int mc, int k0, int kc, float* out) {
  for (int i = 0; i < mc; i += MR) {
    int mr = mc - i < MR ? mc - i : MR;
    const float* src = A + (i0 + i) * ars + k0 * acs;
    if (mr == MR && ars == 1) {
      for (int k = 0; k < kc; k++, src += acs, out += MR) {
        st(out, ld(src));
        out[4] = src[4];
        out[5] = src[5];
      }
    } else if (mr == MR) {
      for (int k = 0; k < kc; k++, src += acs, out += MR) {
        out[0] = src[0]; out[1] = src[ars]; out[2] = src[2 * ars];
        out[3] = src[3 * ars]; out[4] = src[4 * ars]; out[5] = src[5 * ars];
      }
    } else {
      for (int k = 0; k < kc; k++, src += acs, out += MR) {
        int r = 0;
        for (; r < mr; r++) out[r] = src[r * ars];
        for (; r < MR; r++) out[r] = 0.f;
      }
    }
  }
}

#define ROW(r)                                          \
  {                                                     \
    f4 a = wasm_v128_load32_splat(ap + r);              \
    c##r##0 = madd(a, b0, c##r##0);                 \
    c##r##1 = madd(a, b1, c##r##1);                 \
  }
#define OUT(r)                                                   \
  {                                                              \
    float* p = C + r * ldc;                                      \
    if (accumulate) {                                            \
      c##r##0 = add(ld(p), c##r##0);                             \
      c##r##1 = add(ld(p + 4), c##r##1);                         \
    }                                                            \
    st(p, c##r##0);                                              \
    st(p + 4, c##r##1);                                          \
  }

/* One MR×NR tile: C (row stride ldc) = (accumulate ? C : 0) + Ap·Bp over kc. */
static void tile(const float* ap, const float* bp, int kc, float* C, int ldc, int accumulate) {
  f4 c00 = splat(0.f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  f4 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < kc; k++, ap += MR, bp += NR) {
    f4 b0 = ld(bp), b1 = ld(bp + 4);
    ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5)
  }
  OUT(0) OUT(1) OUT(2) OUT(3) OUT(4) OUT(5)
}

#define ROWD(r)                                         \
  {                                                     \
    f4 a = wasm_v128_load32_splat(a##r + k);            \
    c##r##0 = madd(a, b0, c##r##0);                     \
    c##r##1 = madd(a, b1, c##r##1);                     \
  }

/* The same tile with A read in place (rows ars apart, columns contiguous): no packing of A. */
static void tile_direct(const float* a, int ars, const float* bp, int kc, float* C, int ldc, int accumulate) {
  const float *a0 = a, *a1 = a + ars, *a2 = a + 2 * ars, *a3 = a + 3 * ars, *a4 = a + 4 * ars, *a5 = a + 5 * ars;
  f4 c00 = splat(0.f), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  f4 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  for (int k = 0; k < kc; k++, bp += NR) {
    f4 b0 = ld(bp), b1 = ld(bp + 4);
    ROWD(0) ROWD(1) ROWD(2) ROWD(3) ROWD(4) ROWD(5)
  }
  OUT(0) OUT(1) OUT(2) OUT(3) OUT(4) OUT(5)
}

/*
 * A block whose A has contiguous rows (acs = 1) and few column panels: full MR-row tiles read A in
 * place, since packing it would cost about as much as the products it serves; only the last,
 * partial row panel is packed (reading past A's last row is never done).
 */
static void block_direct(const float* A, int ars, float* pa, const float* pb, int mc, int nc, int kc, float* C, int ldc, int accumulate, float* edge) {
  int full = mc - mc % MR;
  if (full < mc) pack_a(A, ars, 1, full, mc - full, 0, kc, pa);
  for (int j = 0; j < nc; j += NR) {
    int nr = nc - j < NR ? nc - j : NR;
    const float* bp = pb + j * kc;
    for (int i = 0; i < mc; i += MR) {
      int mr = mc - i < MR ? mc - i : MR;
      float* c = C + i * ldc + j;
      if (mr == MR && nr == NR) {
        tile_direct(A + i * ars, ars, bp, kc, c, ldc, accumulate);
      } else {
        if (mr == MR) tile_direct(A + i * ars, ars, bp, kc, edge, NR, 0);
        else tile(pa, bp, kc, edge, NR, 0);
        for (int r = 0; r < mr; r++)
          for (int s = 0; s < nr; s++) c[r * ldc + s] = accumulate ? c[r * ldc + s] + edge[r * NR + s] : edge[r * NR + s];
      }
    }
  }
}

static void block(const float* pa, const float* pb, int mc, int nc, int kc, float* C, int ldc, int accumulate, float* edge) {
  for (int j = 0; j < nc; j += NR) {
    int nr = nc - j < NR ? nc - j : NR;
    for (int i = 0; i < mc; i += MR) {
      int mr = mc - i < MR ? mc - i : MR;
      const float* ap = pa + i * kc;
      const float* bp = pb + j * kc;
      float* c = C + i * ldc + j;
      if (mr == MR && nr == NR) {
        tile(ap, bp, kc, c, ldc, accumulate);
      } else {
        tile(ap, bp, kc, edge, NR, 0);
        for (int r = 0; r < mr; r++)
          for (int s = 0; s < nr; s++) c[r * ldc + s] = accumulate ? c[r * ldc + s] + edge[r * NR + s] : edge[r * NR + s];
      }
    }
  }
}

void gemm_acc(const float* A, const float* B, float* C, int M, int N, int K, int ars, int acs, int brs, int bcs, float* pack, int acc) {
  if (K == 0) {
    if (!acc) zero(C, M * N);
    return;
  }
  float* pa = pack;
  float* pb = pack + MC * KC;
  float* edge = pb + KC * NC;
  for (int j0 = 0; j0 < N; j0 += NC) {
    int nc = N - j0 < NC ? N - j0 : NC;
    for (int k0 = 0; k0 < K; k0 += KC) {
      int kc = K - k0 < KC ? K - k0 : KC;
      pack_b(B, brs, bcs, k0, kc, j0, nc, pb);
      for (int i0 = 0; i0 < M; i0 += MC) {
        int mc = M - i0 < MC ? M - i0 : MC;
        if (acs == 1 && nc <= DIRECT_A_MAX_N) {
          block_direct(A + i0 * ars + k0, ars, pa, pb, mc, nc, kc, C + i0 * N + j0, N, acc || k0 > 0, edge);
          continue;
        }
        pack_a(A, ars, acs, i0, mc, k0, kc, pa);
        block(pa, pb, mc, nc, kc, C + i0 * N + j0, N, acc || k0 > 0, edge);
      }
    }
  }
}

EXPORT(gemm)
void gemm(const float* A, const float* B, float* C, int M, int N, int K, int ars, int acs, int brs, int bcs, float* pack) {
  gemm_acc(A, B, C, M, N, K, ars, acs, brs, bcs, pack, 0);
}
