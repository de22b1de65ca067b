/**
 * BatchMatMul on the wasm backend (lib/engine/kernels/batchMatMul.ts, simd/gemm.c) against tfjs's
 * cpu backend: random shapes with every transpose, batched 3-D/4-D with broadcasting, sizes that
 * cross the kernel's blocks (MR 6, NR 8, KC 256, MC 72, NC 512), gradients, NaN/Inf, bad shapes.
 */
import * as assert from 'assert';
import { tf, ready } from '../lib/engine';
import { forceProductPath } from '../lib/engine/kernels/batchMatMul';
import { useRelaxedSimd } from '../lib/engine/kernels/simd/simdKernels';
import { CONFIGS, check, normal, rng, thrown } from './engine-seq-check';

/** Batch shapes of A and B that broadcast, and whether tfjs's cpu kernel gets them right (it indexes batches modulo). */
function batches(r: ReturnType<typeof rng>): { ba: number[]; bb: number[]; cpuExact: boolean } {
  switch (r(0, 6)) {
    case 0:
      return { ba: [], bb: [], cpuExact: true };
    case 1: {
      const s = [r(1, 4)];
      return { ba: s, bb: s, cpuExact: true };
    }
    case 2: {
      const s = [r(1, 3), r(1, 4)];
      return { ba: s, bb: [...s], cpuExact: true };
    }
    case 3:
      return { ba: [r(2, 4), r(1, 3)], bb: [], cpuExact: true };
    case 4:
      return { ba: [1], bb: [r(2, 3), r(2, 3)], cpuExact: true };
    case 5: {
      const s = r(2, 4);
      return { ba: [r(2, 3), s], bb: [s], cpuExact: true };
    }
    default:
      return { ba: [r(2, 3), 1], bb: [1, r(2, 3)], cpuExact: false };
  }
}

/** The batch of `t` [..., r, c] broadcast to `batch` (a dense copy: the reference for cpu's modulo indexing). */
function broadcastTo(t: tf.Tensor, batch: number[]): tf.Tensor {
  const inner = t.shape.slice(-2);
  const own = [...new Array<number>(batch.length - (t.rank - 2)).fill(1), ...t.shape.slice(0, -2)];
  return tf.broadcastTo(t.reshape([...own, ...inner]), [...batch, ...inner]);
}

describe('BatchMatMul on the wasm SIMD kernel', function () {
  this.timeout(300000);

  before(async function () {
    const info = await ready({ verbose: false });
    if (info.backend !== 'wasm' || !info.simd) this.skip();
  });
  afterEach(() => {
    forceProductPath(undefined);
    useRelaxedSimd(true);
  });

  for (const [path, relaxed] of [['simd', true], ['simd', false], [undefined, true]] as const) {
    const label = path ? `every product on the SIMD kernel, ${relaxed ? 'relaxed-SIMD (fused multiply-add) build where the engine has it' : 'plain SIMD build'}` : 'the path chosen by shape';

    it(`matches cpu on ${2 * CONFIGS} random shapes, transposes and broadcasts (${label})`, async () => {
      const r = rng(path ? 11 : 12);
      for (let i = 0; i < 2 * CONFIGS; i++) {
        forceProductPath(path);
        useRelaxedSimd(relaxed);
        const big = i % 6 === 5;
        const m = big ? r(60, 160) : r(1, 20);
        const n = big ? r(60, 600) : r(1, 20);
        const k = big ? r(200, 300) : r(1, 20);
        const tA = r(0, 1) === 1;
        const tB = r(0, 1) === 1;
        const { ba, bb, cpuExact } = batches(r);
        const sa = [...ba, ...(tA ? [k, m] : [m, k])];
        const sb = [...bb, ...(tB ? [n, k] : [k, n])];
        const make = () => tf.tidy(() => tf.matMul(normal(sa, i), normal(sb, i + 50), tA, tB));
        const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(ba, bb);
        const reference = cpuExact ? make : () => tf.tidy(() => tf.matMul(broadcastTo(normal(sa, i), outBatch), broadcastTo(normal(sb, i + 50), outBatch), tA, tB));
        await check(`matMul ${JSON.stringify({ sa, sb, tA, tB })}`, make, reference);
      }
    });
  }

  it('gradients of batched, broadcast and transposed products match cpu (attention and dense shapes)', async () => {
    const r = rng(13);
    forceProductPath('simd');
    for (let i = 0; i < CONFIGS; i++) {
      const [b, h, t, d] = [r(1, 3), r(1, 4), r(1, 17), r(1, 9)];
      const shapes: [number[], number[], boolean, boolean][] = [
        [[b, h, t, d], [b, h, t, d], false, true], // q·kᵀ
        [[b, h, t, t], [b, h, t, d], false, false], // p·v
        [[b, h, t, d], [b, h, t, d], true, false], // kᵀ·q-like (tfjs's own gradient cannot broadcast a batch away)
        [[d, t], [d, r(1, 9)], true, false], // a dense layer's weight gradient,
      ];
      const [sa, sb, tA, tB] = shapes[i % shapes.length];
      const make = () =>
        tf.tidy(() => {
          const a = normal(sa, i);
          const bt = normal(sb, i + 9);
          const y = tf.matMul(a, bt, tA, tB);
          const w = normal(y.shape, i + 17);
          return tf.grads((x: tf.Tensor, z: tf.Tensor) => tf.matMul(x, z, tA, tB).mul(w).sum())([a, bt]);
        });
      await check(`matMul gradient ${JSON.stringify({ sa, sb, tA, tB })}`, make);
    }
  });

  it('NaN and ±Inf propagate as on cpu', async () => {
    forceProductPath('simd');
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const make = () =>
        tf.tidy(() => {
          const a = tf.tensor2d([[1, NaN, 0, 2, 0, 1, 3], [Infinity, 1, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0], [-Infinity, 0, 1, 0, 2, 0, 0], [1, 2, 3, 4, 5, 6, 7], [0, 0, Infinity, 0, 0, 0, -Infinity], [1, 1, 1, 1, 1, 1, 1]]);
          const b = tf.tensor2d([[0, 1, 2, 3, 4, 5, 6, 7, 8], [0, 0, 0, 0, 0, 0, 0, 0, 1], [1, -1, 1, -1, 1, -1, 1, -1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0], [2, 2, 2, 2, 2, 2, 2, 2, 2], [0, Infinity, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0, NaN]]);
          // [7,7]·[7,9]: every transpose of the same product
          return tf.matMul(tA ? a.transpose() : a, tB ? b.transpose() : b, tA, tB);
        });
      await check(`NaN/Inf tA=${tA} tB=${tB}`, make);
    }
  });

  it("shapes that do not multiply fail with tfjs's own error, naming both shapes", async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[2, 3], [4, 5], false, false],
      [[2, 3], [2, 5], false, false],
      [[4, 2, 3], [4, 5, 3], false, false],
      [[2, 3, 4], [3, 4, 2], false, false],
      [[3, 4], [5, 4], true, true],
    ];
    for (const [sa, sb, tA, tB] of cases) {
      forceProductPath('simd');
      const onWasm = thrown(() => tf.matMul(tf.zeros(sa), tf.zeros(sb), tA, tB));
      await tf.setBackend('cpu');
      const onCpu = thrown(() => tf.matMul(tf.zeros(sa), tf.zeros(sb), tA, tB));
      await tf.setBackend('wasm');
      assert.ok(onWasm, `matMul ${sa}·${sb} did not throw`);
      assert.strictEqual(onWasm, onCpu);
      if (/inner shapes/.test(onWasm)) assert.ok(onWasm.includes(String(sa)) && onWasm.includes(String(sb)), onWasm);
    }
  });

  it('an empty inner dimension gives zeros', async () => {
    forceProductPath('simd');
    await check('matMul k=0', () => tf.tidy(() => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 5]))));
  });
});
