#include "simd.h"

/*
 * Softmax cross-entropy with integer labels (the classification loss of a masked language model,
 * Devlin et al. 2019; PyTorch's `cross_entropy(logits, labels)`), per row i of z [N,V]:
 *   p_i = softmax(z_i) = exp(z_i − m_i) / s_i,  m_i = max z_i,  s_i = Σ exp(z_i − m_i)
 *   loss_i = log s_i + m_i − z_i[y_i];  ∂loss_i/∂z_i = p_i − onehot(y_i)
 * Forward writes p and per row (m, s, z[y]) — the log and the mean are taken by the caller on N
 * numbers; backward writes dz = (p − onehot(y))·dy/N for the mean loss. Two passes over the logits
 * instead of tfjs's ~12 (max, subtract, exp, sum, log, one-hot, cast, multiply, … and as many back).
 * exp is activation.c's (the same numbers as the Exp kernel). Labels are checked by the caller.
 */
#include "activation.h"

INLINE float lane_max(f4 v) {
  float a = wasm_f32x4_extract_lane(v, 0), b = wasm_f32x4_extract_lane(v, 1), c = wasm_f32x4_extract_lane(v, 2), d = wasm_f32x4_extract_lane(v, 3);
  a = a > b ? a : b;
  c = c > d ? c : d;
  return a > c ? a : c;
}

EXPORT(softmax_xent_forward)
void softmax_xent_forward(const float* z, const int* labels, float* p, float* stats, int N, int V) {
  for (int i = 0; i < N; i++, z += V, p += V) {
    f4 mv = splat(-__builtin_inff());
    int j = 0;
    for (; j + 4 <= V; j += 4) mv = wasm_f32x4_max(mv, ld(z + j));
    float m = lane_max(mv);
    for (; j < V; j++) m = z[j] > m ? z[j] : m;
    f4 mm = splat(m), sv = splat(0.f);
    for (j = 0; j + 4 <= V; j += 4) {
      f4 e = exp4(wasm_f32x4_sub(ld(z + j), mm));
      st(p + j, e);
      sv = add(sv, e);
    }
    float s = wasm_f32x4_extract_lane(sv, 0) + wasm_f32x4_extract_lane(sv, 1) + wasm_f32x4_extract_lane(sv, 2) + wasm_f32x4_extract_lane(sv, 3);
    for (; j < V; j++) {
      float e = wasm_f32x4_extract_lane(exp4(splat(z[j] - m)), 0);
      p[j] = e;
      s += e;
    }
    f4 r = splat(1.f / s);
    for (j = 0; j + 4 <= V; j += 4) st(p + j, mul(ld(p + j), r));
    for (; j < V; j++) p[j] *= 1.f / s;
    stats[3 * i] = m;
    stats[3 * i + 1] = s;
    stats[3 * i + 2] = z[labels[i]];
  }
}

EXPORT(softmax_xent_backward)
void softmax_xent_backward(const float* p, const int* labels, const float* dy, float* dz, int N, int V) {
  float scale = dy[0] / (float)N;
  f4 sc = splat(scale);
  for (int i = 0; i < N; i++, p += V, dz += V) {
    int j = 0;
    for (; j + 4 <= V; j += 4) st(dz + j, mul(ld(p + j), sc));
    for (; j < V; j++) dz[j] = p[j] * scale;
    dz[labels[i]] -= scale;
  }
}
