#include "simd.h"

/*
 * One LSTM step's gate arithmetic (Hochreiter & Schmidhuber 1997; the gate layout of Keras and
 * tfjs: z = [i | f | g | o], each U wide), for a batch of B rows, after the one matrix product
 * z = x·W + h·R + b that feeds all four gates:
 *   i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o);  c = f·c₋ + i·g;  h = o·tanh(c)
 * Forward writes the activated gates (kept for the backward step), c, tanh(c) and h.
 * Backward, from dh and the cell gradient dc arriving from step t+1:
 *   dc' = dc + dh·o·(1 − tanh²c);  dz_i = dc'·g·i(1−i);  dz_f = dc'·c₋·f(1−f);
 *   dz_g = dc'·i·(1−g²);  dz_o = dh·tanh c·o(1−o);  dc₋ = dc'·f
 * The σ and tanh are those of activation.c (included, same numbers as the Sigmoid/Tanh kernels).
 */
#include "activation.h"
#include "gemm.h"

static void lstm_cell_forward(const float* z, const float* c_prev, float* gates, float* c, float* tanh_c, float* h, int B, int U) {
  for (int b = 0; b < B; b++, z += 4 * U, gates += 4 * U, c_prev += U, c += U, tanh_c += U, h += U) {
    for (int j = 0; j + 4 <= U; j += 4) {
      f4 i = sigmoid4(ld(z + j)), f = sigmoid4(ld(z + U + j)), g = tanh4(ld(z + 2 * U + j)), o = sigmoid4(ld(z + 3 * U + j));
      f4 cn = add(mul(f, ld(c_prev + j)), mul(i, g));
      f4 tc = tanh4(cn);
      st(gates + j, i); st(gates + U + j, f); st(gates + 2 * U + j, g); st(gates + 3 * U + j, o);
      st(c + j, cn); st(tanh_c + j, tc); st(h + j, mul(o, tc));
    }
  }
}

static void lstm_cell_backward(const float* gates, const float* c_prev, const float* tanh_c, const float* dh, const float* dc_next,
                        float* dz, float* dc_prev, int B, int U) {
  f4 one = splat(1.f);
  for (int b = 0; b < B; b++, gates += 4 * U, dz += 4 * U, c_prev += U, tanh_c += U, dh += U, dc_next += U, dc_prev += U) {
    for (int j = 0; j + 4 <= U; j += 4) {
      f4 i = ld(gates + j), f = ld(gates + U + j), g = ld(gates + 2 * U + j), o = ld(gates + 3 * U + j);
      f4 tc = ld(tanh_c + j), d = ld(dh + j);
      f4 dc = add(ld(dc_next + j), mul(mul(d, o), wasm_f32x4_sub(one, mul(tc, tc))));
      st(dz + j, mul(mul(dc, g), mul(i, wasm_f32x4_sub(one, i))));
      st(dz + U + j, mul(mul(dc, ld(c_prev + j)), mul(f, wasm_f32x4_sub(one, f))));
      st(dz + 2 * U + j, mul(mul(dc, i), wasm_f32x4_sub(one, mul(g, g))));
      st(dz + 3 * U + j, mul(mul(d, tc), mul(o, wasm_f32x4_sub(one, o))));
      st(dc_prev + j, mul(dc, f));
    }
  }
}

/*
 * A whole sequence, T steps of B rows, in one call: per step one product h·R [B,U]·[U,4U] for all
 * four gates, plus the input part zx (x·W + b, computed beforehand for every step at once, rows
 * by time t), then the gate arithmetic. Step s reads time t = s (or T−1−s going backwards). Outputs
 * by step s: hs, cs (state after the step), gates, tanh_c. `z` is [B,4U] scratch, `zeros` [B,U].
 */
EXPORT(lstm_forward)
void lstm_forward(const float* zx, const float* R, float* hs, float* cs, float* gates, float* tanh_c, float* z, const float* zeros,
                  float* pack, int T, int B, int U, int backwards) {
  int G = 4 * U;
  for (int s = 0; s < T; s++) {
    int t = backwards ? T - 1 - s : s;
    const float* hp = s ? hs + (s - 1) * B * U : zeros;
    const float* cp = s ? cs + (s - 1) * B * U : zeros;
    gemm_acc(hp, R, z, B, G, U, U, 1, G, 1, pack, 0);
    const float* x = zx + t * B * G;
    int n = B * G, i = 0;
    for (; i + 4 <= n; i += 4) st(z + i, add(ld(z + i), ld(x + i)));
    lstm_cell_forward(z, cp, gates + s * B * G, cs + s * B * U, tanh_c + s * B * U, hs + s * B * U, B, U);
  }
}

/*
 * Backpropagation through the sequence of lstm_forward: dys [T·B,U] (gradient of every step's
 * output, by step) or null and dh_last [B,U] (gradient of the last state) or null. Writes dz
 * [T·B,4U] by time t (aligned with zx, for dW, db, dx) and dR = Σ_s h_{s−1}ᵀ·dz_s. dh, dc: [B,U] scratch.
 */
EXPORT(lstm_backward)
void lstm_backward(const float* gates, const float* hs, const float* cs, const float* tanh_c, const float* dys, const float* dh_last,
                   const float* R, float* dz, float* dR, float* dh, float* dc, const float* zeros, float* pack, int T, int B, int U, int backwards) {
  int G = 4 * U, n = B * U;
  for (int i = 0; i < n; i++) { dh[i] = dh_last ? dh_last[i] : 0.f; dc[i] = 0.f; }
  zero(dR, U * G);
  for (int s = T - 1; s >= 0; s--) {
    int t = backwards ? T - 1 - s : s;
    if (dys) for (int i = 0; i < n; i++) dh[i] += dys[s * n + i];
    const float* cp = s ? cs + (s - 1) * n : zeros;
    float* d = dz + t * B * G;
    lstm_cell_backward(gates + s * B * G, cp, tanh_c + s * n, dh, dc, d, dc, B, U);
    if (s) {
      gemm_acc(hs + (s - 1) * n, d, dR, U, G, B, 1, U, G, 1, pack, 1);   /* dR += h_{s−1}ᵀ·dz */
      gemm_acc(d, R, dh, B, U, G, G, 1, 1, G, pack, 0);                   /* dh = dz·Rᵀ */
    }
  }
}
