/*
 * tslab-xai: one step of the Lanczos iteration with full reorthogonalization (Golub & Van Loan
 * §10.1), in WebAssembly SIMD (f64x2), for symmetricEigen.ts. Compiled into the same module as
 * tsne.c (build.sh); every pointer is an offset in the module's own memory.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static double dot(const double* x, const double* y, int d) {
  v128_t s0 = wasm_f64x2_splat(0.0), s1 = s0;
  int i = 0;
  for (; i + 4 <= d; i += 4) {
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(wasm_v128_load(x + i), wasm_v128_load(y + i)));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(wasm_v128_load(x + i + 2), wasm_v128_load(y + i + 2)));
  }
  s0 = wasm_f64x2_add(s0, s1);
  double s = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1);
  for (; i < d; i++) s += x[i] * y[i];
  return s;
}

static void axpy(double alpha, const double* x, double* y, int d) {
  v128_t a = wasm_f64x2_splat(alpha);
  int i = 0;
  for (; i + 2 <= d; i += 2) wasm_v128_store(y + i, wasm_f64x2_add(wasm_v128_load(y + i), wasm_f64x2_mul(a, wasm_v128_load(x + i))));
  for (; i < d; i++) y[i] += alpha * x[i];
}

/*
 * w = A q_j (A: d×d symmetric, row-major; q: rows of d values), alpha = q_j·w, then w minus its
 * components along q_0..q_j (classical Gram-Schmidt, repeated when it cancelled most of w).
 * Returns alpha; w is left for the caller to normalize. dots: scratch of j + 1 doubles.
 */
EXPORT(lanczos_step)
double lanczos_step(const double* a, int d, const double* q, int j, double* w, double* dots) {
  const double* qj = q + (long)j * d;
  for (int i = 0; i < d; i++) w[i] = dot(a + (long)i * d, qj, d);
  double alpha = dot(qj, w, d);
  for (int pass = 0; pass < 2; pass++) {
    double before = dot(w, w, d);
    for (int r = 0; r <= j; r++) dots[r] = dot(q + (long)r * d, w, d);
    for (int r = 0; r <= j; r++) axpy(-dots[r], q + (long)r * d, w, d);
    if (dot(w, w, d) > 0.49 * before) break; /* |w| kept more than 0.7 of itself */
  }
  return alpha;
}
