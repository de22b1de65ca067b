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

EXPORT(lstm_cell_forward)
void lstm_cell_forward(const float* z, const float* c_prev, float* gates, float* c, float* tanh_c, float* h, int B, int U) {
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

EXPORT(lstm_cell_backward)
void lstm_cell_backward(const float* gates, const float* c_prev, const float* tanh_c, const float* dh, const float* dc_next,
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
