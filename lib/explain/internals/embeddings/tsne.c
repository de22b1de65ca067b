/*
 * tslab-xai: Barnes-Hut t-SNE gradient descent in WebAssembly SIMD (van der Maaten 2014,
 * "Accelerating t-SNE using tree-based algorithms", JMLR 15).
 *
 * One 2-D point is one f64x2 vector. Each iteration builds a quadtree of the map, sums the
 * repulsive forces over it (a cell of width w at distance d is one body when w / d < theta), adds
 * the attractive forces of the sparse symmetric affinities P (CSR), and takes a gradient step
 * with momentum and per-coordinate gains (Jacobs 1988), as scikit-learn and openTSNE do.
 * The gradient has no factor 4 (openTSNE's convention), so a learning rate of N/12 here is
 * scikit-learn's 'auto' N/48 with its factor 4 (Belkina et al. 2019).
 *
 * The module owns its memory; the caller (tsneWasm.ts) lays out every array on it and grows it.
 * Build: ./build.sh (clang with the wasm32 target, wasm-ld).
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define MAX_DEPTH 48

typedef v128_t f2;

typedef struct {
  f2 center; /* cell centre */
  f2 com;    /* sum of the positions in the cell, then their mean */
  double half; /* half the cell width */
  int count;   /* points in the cell */
  int child;   /* index of the first of four children, or -1 for a leaf */
} Node;

/* What the traversal reads of a node, packed in one f32x4: mean x, mean y, width², count. */
typedef struct {
  float x, y, w2, count;
} Cell;

static inline double hsum(f2 v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }
static inline double sq(f2 v) { return hsum(wasm_f64x2_mul(v, v)); }

static int quadrant(f2 p, f2 c) {
  return (wasm_f64x2_extract_lane(p, 0) >= wasm_f64x2_extract_lane(c, 0) ? 1 : 0) |
         (wasm_f64x2_extract_lane(p, 1) >= wasm_f64x2_extract_lane(c, 1) ? 2 : 0);
}

/* Builds the quadtree of the n points y; returns the number of nodes, or -1 if max_nodes is too few. */
static int build(const f2* y, int n, Node* nodes, int max_nodes) {
  f2 lo = y[0], hi = y[0];
  for (int i = 1; i < n; i++) {
    lo = wasm_f64x2_pmin(lo, y[i]);
    hi = wasm_f64x2_pmax(hi, y[i]);
  }
  f2 ext = wasm_f64x2_sub(hi, lo);
  double w = wasm_f64x2_extract_lane(ext, 0);
  double h = wasm_f64x2_extract_lane(ext, 1);
  double half = (w > h ? w : h) * 0.5 * (1.0 + 1e-6) + 1e-12;
  int used = 1;
  nodes[0].center = wasm_f64x2_mul(wasm_f64x2_add(lo, hi), wasm_f64x2_splat(0.5));
  nodes[0].com = wasm_f64x2_splat(0.0);
  nodes[0].half = half;
  nodes[0].count = 0;
  nodes[0].child = -1;
  for (int i = 0; i < n; i++) {
    f2 p = y[i];
    int at = 0;
    for (int depth = 0;; depth++) {
      Node* nd = &nodes[at];
      if (nd->child < 0) {
        if (nd->count == 0) {
          nd->count = 1;
          nd->com = p;
          break;
        }
        f2 mean = wasm_f64x2_div(nd->com, wasm_f64x2_splat((double)nd->count));
        if (depth >= MAX_DEPTH || sq(wasm_f64x2_sub(mean, p)) == 0.0) { /* coincident: aggregate */
          nd->count++;
          nd->com = wasm_f64x2_add(nd->com, p);
          break;
        }
        if (used + 4 > max_nodes) return -1;
        nd->child = used;
        double q = nd->half * 0.5;
        for (int c = 0; c < 4; c++) {
          Node* ch = &nodes[used + c];
          ch->center = wasm_f64x2_add(nd->center, wasm_f64x2_make((c & 1) ? q : -q, (c & 2) ? q : -q));
          ch->com = wasm_f64x2_splat(0.0);
          ch->half = q;
          ch->count = 0;
          ch->child = -1;
        }
        used += 4;
        Node* moved = &nodes[nd->child + quadrant(mean, nd->center)];
        moved->count = nd->count;
        moved->com = nd->com;
      }
      nd->count++;
      nd->com = wasm_f64x2_add(nd->com, p);
      at = nd->child + quadrant(p, nd->center);
    }
  }
  for (int k = 0; k < used; k++) {
    if (nodes[k].count > 0) nodes[k].com = wasm_f64x2_div(nodes[k].com, wasm_f64x2_splat((double)nodes[k].count));
  }
  return used;
}

/* Packs the nodes for the traversal: cells (f32x4) and, for inner nodes, the first child (else -1). */
static void pack(const Node* nodes, int used, Cell* cells, int* child) {
  for (int k = 0; k < used; k++) {
    const Node* nd = &nodes[k];
    double w = 2.0 * nd->half;
    cells[k].x = (float)wasm_f64x2_extract_lane(nd->com, 0);
    cells[k].y = (float)wasm_f64x2_extract_lane(nd->com, 1);
    cells[k].w2 = (float)(w * w);
    cells[k].count = (float)nd->count;
    child[k] = nd->child;
  }
}

#define GROUP 32

/* Scratch of the grouped traversal (laid out by the caller). */
typedef struct {
  int* node_group; /* per node: its group, or -1 */
  int* group_node; /* per group: its node */
  int* group_of;   /* per point: its group */
  int* order;      /* points sorted by group */
  int* start;      /* per group + 1: offsets into order */
  float* lx;       /* interaction list: x, y, count (padded to a multiple of 4) */
  float* ly;
  float* lc;
} Scratch;

static inline float fmaxf_(float a, float b) { return a > b ? a : b; }

/*
 * Repulsive force on every point (into neg) and Z = sum over pairs of 1/(1+d^2), by Barnes-Hut with
 * grouped interaction lists (Barnes 1990): points are grouped by the tree nodes of at most GROUP
 * points; one list of cells is made per group (a cell of width w is one body when w < theta times
 * its distance to the group's bounding box, stricter than per point), and every point of the group
 * sums the list four cells at a time. The point's own leaf (q = 1) is in the list; it is taken out of Z.
 */
static double repulsion(const f2* y, int n, const Node* nodes, int used, const Cell* cells, const int* child, int* stack,
                        float theta2, f2* neg, Scratch* s) {
  int groups = 0;
  for (int k = 0; k < used; k++) s->node_group[k] = -1;
  int sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    int k = stack[--sp];
    if (child[k] < 0 || cells[k].count <= (float)GROUP) {
      s->node_group[k] = groups;
      s->group_node[groups++] = k;
    } else {
      for (int c = 0; c < 4; c++) if (cells[child[k] + c].count > 0.f) stack[sp++] = child[k] + c;
    }
  }
  for (int g = 0; g <= groups; g++) s->start[g] = 0;
  for (int i = 0; i < n; i++) {
    int k = 0;
    while (s->node_group[k] < 0) k = child[k] + quadrant(y[i], nodes[k].center);
    s->group_of[i] = s->node_group[k];
    s->start[s->node_group[k] + 1]++;
  }
  for (int g = 0; g < groups; g++) s->start[g + 1] += s->start[g];
  for (int g = 0; g < groups; g++) s->node_group[g] = s->start[g]; /* reuse as fill pointers */
  for (int i = 0; i < n; i++) s->order[s->node_group[s->group_of[i]]++] = i;

  double z = 0.0;
  for (int g = 0; g < groups; g++) {
    int a = s->start[g], b = s->start[g + 1];
    if (a == b) continue;
    float x0 = 1e30f, x1 = -1e30f, y0 = 1e30f, y1 = -1e30f;
    for (int t = a; t < b; t++) {
      float px = (float)wasm_f64x2_extract_lane(y[s->order[t]], 0), py = (float)wasm_f64x2_extract_lane(y[s->order[t]], 1);
      x0 = px < x0 ? px : x0; x1 = px > x1 ? px : x1;
      y0 = py < y0 ? py : y0; y1 = py > y1 ? py : y1;
    }
    int len = 0;
    sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const int k = stack[--sp];
      const Cell c = cells[k];
      const float dx = fmaxf_(fmaxf_(x0 - c.x, c.x - x1), 0.f);
      const float dy = fmaxf_(fmaxf_(y0 - c.y, c.y - y1), 0.f);
      const int ch = child[k];
      if (ch < 0 || c.w2 < theta2 * (dx * dx + dy * dy)) {
        s->lx[len] = c.x; s->ly[len] = c.y; s->lc[len] = c.count; len++;
      } else {
        if (cells[ch].count > 0.f) stack[sp++] = ch;
        if (cells[ch + 1].count > 0.f) stack[sp++] = ch + 1;
        if (cells[ch + 2].count > 0.f) stack[sp++] = ch + 2;
        if (cells[ch + 3].count > 0.f) stack[sp++] = ch + 3;
      }
    }
    while (len & 3) { s->lx[len] = 0.f; s->ly[len] = 0.f; s->lc[len] = 0.f; len++; }
    const v128_t one = wasm_f32x4_splat(1.f);
    for (int t = a; t < b; t++) {
      const int i = s->order[t];
      const v128_t px = wasm_f32x4_splat((float)wasm_f64x2_extract_lane(y[i], 0));
      const v128_t py = wasm_f32x4_splat((float)wasm_f64x2_extract_lane(y[i], 1));
      v128_t fx = wasm_f32x4_splat(0.f), fy = fx, zi = fx;
      for (int j = 0; j < len; j += 4) {
        v128_t dx = wasm_f32x4_sub(px, wasm_v128_load(s->lx + j));
        v128_t dy = wasm_f32x4_sub(py, wasm_v128_load(s->ly + j));
        v128_t q = wasm_f32x4_div(one, wasm_f32x4_add(one, wasm_f32x4_add(wasm_f32x4_mul(dx, dx), wasm_f32x4_mul(dy, dy))));
        v128_t cq = wasm_f32x4_mul(wasm_v128_load(s->lc + j), q);
        zi = wasm_f32x4_add(zi, cq);
        v128_t f = wasm_f32x4_mul(cq, q);
        fx = wasm_f32x4_add(fx, wasm_f32x4_mul(f, dx));
        fy = wasm_f32x4_add(fy, wasm_f32x4_mul(f, dy));
      }
      float sx = wasm_f32x4_extract_lane(fx, 0) + wasm_f32x4_extract_lane(fx, 1) + wasm_f32x4_extract_lane(fx, 2) + wasm_f32x4_extract_lane(fx, 3);
      float sy = wasm_f32x4_extract_lane(fy, 0) + wasm_f32x4_extract_lane(fy, 1) + wasm_f32x4_extract_lane(fy, 2) + wasm_f32x4_extract_lane(fy, 3);
      float sz = wasm_f32x4_extract_lane(zi, 0) + wasm_f32x4_extract_lane(zi, 1) + wasm_f32x4_extract_lane(zi, 2) + wasm_f32x4_extract_lane(zi, 3);
      neg[i] = wasm_f64x2_make((double)sx, (double)sy);
      z += (double)sz - 1.0; /* the point itself */
    }
  }
  return z;
}

/*
 * Runs `iters` gradient-descent iterations on the map y (n points, f64x2 each), with the sparse
 * symmetric P (row_start[n+1], cols, vals; sum of vals = 1) multiplied by `exaggeration`.
 * update and gains (per coordinate) persist between calls. Scratch: nodes, cells and child (max_nodes each), stack
 * (1024 ints is plenty: at most 3 * MAX_DEPTH + 1 are used), grad (n f64x2). Returns Z of the last
 * iteration, or -1 - (iterations done) when the tree needs more than max_nodes nodes.
 */
EXPORT(tsne_iterate)
double tsne_iterate(int n, f2* y, f2* update, f2* gains, const int* row_start, const int* cols, const double* vals,
                    int iters, double exaggeration, double momentum, double learning_rate, double theta,
                    Node* nodes, int max_nodes, int* stack, f2* grad, Cell* cells, int* child, int* scratch) {
  /* scratch: 3 * max_nodes + 2 * n + 1 ints, then 3 lists of max_nodes + 4 floats */
  Scratch sc;
  sc.node_group = scratch;
  sc.group_node = sc.node_group + max_nodes;
  sc.start = sc.group_node + max_nodes;
  sc.group_of = sc.start + max_nodes + 1;
  sc.order = sc.group_of + n;
  sc.lx = (float*)(sc.order + n);
  sc.ly = sc.lx + max_nodes + 4;
  sc.lc = sc.ly + max_nodes + 4;
  double z = 0.0;
  const f2 min_gain = wasm_f64x2_splat(0.01);
  for (int it = 0; it < iters; it++) {
    int used = build(y, n, nodes, max_nodes);
    if (used < 0) return -1.0 - it; /* -1 - iterations done */
    pack(nodes, used, cells, child);
    z = repulsion(y, n, nodes, used, cells, child, stack, (float)(theta * theta), grad, &sc);
    const f2 inv_z = wasm_f64x2_splat(-1.0 / z);
    for (int i = 0; i < n; i++) {
      f2 p = y[i];
      f2 attract = wasm_f64x2_splat(0.0);
      for (int k = row_start[i], end = row_start[i + 1]; k < end; k++) {
        f2 diff = wasm_f64x2_sub(p, y[cols[k]]);
        double q = 1.0 / (1.0 + sq(diff));
        attract = wasm_f64x2_add(attract, wasm_f64x2_mul(diff, wasm_f64x2_splat(vals[k] * q)));
      }
      grad[i] = wasm_f64x2_add(wasm_f64x2_mul(attract, wasm_f64x2_splat(exaggeration)), wasm_f64x2_mul(grad[i], inv_z));
    }
    const f2 mom = wasm_f64x2_splat(momentum);
    const f2 lr = wasm_f64x2_splat(learning_rate);
    const f2 up = wasm_f64x2_splat(0.2), down = wasm_f64x2_splat(0.8);
    for (int i = 0; i < n; i++) {
      f2 g = grad[i];
      f2 u = update[i];
      /* gain grows where the gradient's sign opposes the last step, shrinks where it agrees */
      v128_t opposite = wasm_f64x2_lt(wasm_f64x2_mul(g, u), wasm_f64x2_splat(0.0));
      f2 gain = gains[i];
      gain = wasm_v128_bitselect(wasm_f64x2_add(gain, up), wasm_f64x2_mul(gain, down), opposite);
      gain = wasm_f64x2_pmax(gain, min_gain);
      gains[i] = gain;
      u = wasm_f64x2_sub(wasm_f64x2_mul(mom, u), wasm_f64x2_mul(lr, wasm_f64x2_mul(gain, g)));
      update[i] = u;
      y[i] = wasm_f64x2_add(y[i], u);
    }
  }
  return z;
}
