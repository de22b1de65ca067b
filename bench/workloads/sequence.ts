/**
 * Sequence-model workloads (issue 15), each defined exactly as its PyTorch reference in
 * bench/reference/ (run `/usr/bin/python3 bench/reference/reference_transformer.py --json` and
 * `reference_lstm.py --json` in the same sitting for the ratios):
 *
 *   transformer-step-x10 : 10 Adam steps (lr 1e-3) of the tiny BERT's masked-LM loss (cross-entropy with
 *                          integer labels, as PyTorch's `cross_entropy`: the fused sparseSoftmaxCrossEntropy) on 32×64 random
 *                          ids (vocabulary 8000), 15% of the positions masked (drawn once, seed 0), the
 *                          model built inside the timed region; best of 3
 *   transformer-step-x10-2cores : transformer-step-x10 on both cores: synchronous data parallelism
 *                          (lib/engine/parallel: the main thread + one worker_threads worker, each with its
 *                          own engine and replica, each taking 16 of the 32 sequences; gradients averaged
 *                          by masked positions, the same Adam step in both). The worker starts in setup
 *                          (untimed, as PyTorch's interpreter); each timed run builds both replicas (the
 *                          main thread's initial weights copied to the worker) and runs the 10 steps.
 *                          Compare with reference_transformer.py at its best thread count (1 here)
 *   bilstm-10steps       : one epoch = 10 Adam steps (lr 1e-3, batch 32) of the BiLSTM classifier on
 *                          320 random sequences of 50×40 (10 classes); best of 2 after a warm-up epoch
 *   bigru-10steps        : bilstm-10steps with GRU layers (fusedGru, sigmoid gates): no PyTorch anchor exists for
 *                          it, so `tfjsGruMs` is tfjs's own `gru` layer on the same data, best of 2 after a
 *                          warm-up epoch timed right after in the same process, and `vsTfjs` the ratio
 *   matmul-*             : the products of the table, in GFLOP/s (`gflops`), to compare with
 *                          the plain 2-D rate (`matmul-512x512x512`)
 *   layernorm-2048x128   : forward and backward of `layerNorm` (lib/engine/ops) on the transformer's
 *                          [32·64, 128] activations, ms per call; `composedMs` is the tfjs composition
 *                          (tf.moments …), best of 10 timed right after in the same process
 */
import { tf } from '../../lib/engine/tf';
import { seededRandom } from '../../lib/data/permutation';
import { BERT, BILSTM, biLstm, tinyBert } from '../sequenceModels';
import { adam, type StepOptimizer } from '../../lib/models/adam';
import { layerNorm } from '../../lib/engine/ops/layerNorm';
import { sparseSoftmaxCrossEntropy } from '../../lib/engine/ops/sparseSoftmaxCrossEntropy';
import { fusedGru } from '../../lib/models/fusedGru';
import * as fs from 'fs';
import type { Workload } from '../workload';
import { dataParallel, type DataParallel, type Replica, type Shard } from '../../lib/engine/parallel';

interface MaskedLm {
  inputs: tf.Tensor2D;
  rows: tf.Tensor1D;
  labels: tf.Tensor1D;
}

let mlm: MaskedLm | undefined;

/** Random ids, 15% of positions masked with id 1 ([MASK]); the labels are the original ids there. */
function maskedLm(): MaskedLm {
  if (!mlm) {
    const { vocab, batch, length } = BERT;
    const next = seededRandom(0);
    const ids = new Int32Array(batch * length).map(() => Math.floor(next() * vocab));
    const rows: number[] = [];
    for (let i = 0; i < ids.length; i++) if (next() < 0.15) rows.push(i);
    const inputs = ids.slice();
    for (const r of rows) inputs[r] = 1;
    mlm = {
      inputs: tf.tensor2d(inputs, [batch, length], 'int32'),
      rows: tf.tensor1d(rows, 'int32'),
      labels: tf.tensor1d(rows.map((r) => ids[r]), 'int32'),
    };
  }
  return mlm;
}

/** One training step with the library's Adam (fused AdamUpdate on wasm); waits for the loss like PyTorch's step. */
function step(loss: () => tf.Scalar, vars: tf.Variable[], optimizer: StepOptimizer): void {
  const { value, grads } = tf.variableGrads(loss, vars);
  optimizer.applyGradients(grads);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
}

let lstmData: { x: tf.Tensor3D; y: tf.Tensor2D; model: tf.LayersModel; optimizer: StepOptimizer } | undefined;

function lstmEpoch(): void {
  const { x, y, model, optimizer } = lstmData!;
  rnnEpoch(model, optimizer, { x, y });
}

type Data = { x: tf.Tensor3D; y: tf.Tensor2D };
let rnnData: Data | undefined;

/** bilstm-10steps's data: 320 random sequences of 50×40 and one-hot labels (10 classes). */
function sequenceData(): Data {
  if (!rnnData) {
    const { sequences, frames, features, classes } = BILSTM;
    const next = seededRandom(0);
    const x = tf.randomNormal([sequences, frames, features], 0, 1, 'float32', 1) as tf.Tensor3D;
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: sequences }, () => Math.floor(next() * classes)), 'int32'), classes) as tf.Tensor2D;
    rnnData = { x, y };
  }
  return rnnData;
}

/** reference_lstm.py's classifier with GRU layers: bidirectional GRU 40 → 2×64 (all steps), bidirectional GRU 128 → 2×64, dense 10. */
function biGru(fused: boolean): tf.LayersModel {
  const { frames, features, units, classes } = BILSTM;
  const gru = fused ? fusedGru : tf.layers.gru;
  return tf.sequential({
    layers: [
      tf.layers.bidirectional({ layer: gru({ units, recurrentActivation: 'sigmoid', returnSequences: true }) as unknown as tf.RNN, inputShape: [frames, features] }),
      tf.layers.bidirectional({ layer: gru({ units, recurrentActivation: 'sigmoid' }) as unknown as tf.RNN }),
      tf.layers.dense({ units: classes }),
    ],
  });
}

/** One epoch (10 Adam steps of batch 32) of `model` on `data` (default sequenceData()). */
function rnnEpoch(model: tf.LayersModel, optimizer: StepOptimizer, data: Data = sequenceData()): void {
  const { x, y } = data;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let i = 0; i < BILSTM.sequences; i += BILSTM.batch) {
    const xb = x.slice([i, 0, 0], [BILSTM.batch, -1, -1]);
    const yb = y.slice([i, 0], [BILSTM.batch, -1]);
    step(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor) as tf.Scalar, vars, optimizer);
    tf.dispose([xb, yb]);
  }
}

/** bigru-10steps: the fused GRU timed by run(); tfjs's own gru timed in `extra`, same data, same protocol. */
function biGruWorkload(): Workload {
  let fused: { model: tf.LayersModel; optimizer: StepOptimizer } | undefined;
  let best = Infinity;
  return {
    name: 'bigru-10steps',
    reps: 2,
    setup() {
      fused ??= { model: biGru(true), optimizer: adam(1e-3) };
      rnnEpoch(fused.model, fused.optimizer); // warm-up epoch
    },
    run() {
      const t0 = performance.now();
      rnnEpoch(fused!.model, fused!.optimizer);
      best = Math.min(best, performance.now() - t0);
    },
    extra() {
      const model = biGru(false);
      const optimizer = adam(1e-3);
      rnnEpoch(model, optimizer); // warm-up epoch
      let tfjs = Infinity;
      for (let r = 0; r < 2; r++) {
        const t0 = performance.now();
        rnnEpoch(model, optimizer);
        tfjs = Math.min(tfjs, performance.now() - t0);
      }
      optimizer.dispose();
      model.dispose();
      return { tfjsGruMs: Math.round(tfjs * 10) / 10, vsTfjs: Math.round((best / tfjs) * 1000) / 1000, anchor: 'tfjs 4.22 tf.layers.gru (no PyTorch reference for GRU)' };
    },
  };
}

/** The tiny BERT and its masked-LM loss as a data-parallel replica (the factory the workers load from this module). */
export function createReplica(): Replica {
  const bert = tinyBert();
  const optimizer = adam(1e-3);
  return {
    variables: bert.variables,
    optimizer,
    loss: (b) => sparseSoftmaxCrossEntropy(bert.logits(b.inputs as tf.Tensor2D, b.rows as tf.Tensor1D), b.labels),
    dispose: () => {
      optimizer.dispose();
      bert.dispose();
    },
  };
}

/** The masked-LM batch cut into `parts` shards (exported for test/engine-parallel.test.ts) of whole sequences, each weighted by its masked positions. */
export function maskedLmShards(parts: number): Shard[] {
  const { inputs, rows, labels } = maskedLm();
  const { batch, length } = BERT;
  const ids = inputs.dataSync() as Int32Array;
  const r = rows.dataSync() as Int32Array;
  const l = labels.dataSync() as Int32Array;
  const per = batch / parts;
  return Array.from({ length: parts }, (_, p) => {
    const lo = p * per * length;
    const hi = lo + per * length;
    const keep = Array.from(r.keys()).filter((i) => r[i] >= lo && r[i] < hi);
    return {
      inputs: {
        inputs: { values: ids.slice(lo, hi), shape: [per, length], dtype: 'int32' },
        rows: { values: Int32Array.from(keep, (i) => r[i] - lo), shape: [keep.length], dtype: 'int32' },
        labels: { values: Int32Array.from(keep, (i) => l[i]), shape: [keep.length], dtype: 'int32' },
      },
      weight: keep.length,
    };
  });
}

/** CPU ms of each of this process's threads (Linux /proc; empty elsewhere), to tell contention from the workload's own time. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const t of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(t, (Number(f[11]) + Number(f[12])) * 10); // utime + stime, clock ticks of 10 ms
    }
  } catch {
    // not Linux
  }
  return out;
}

/** transformer-step-x10 on one core; `threadCpuMs` as in the two-core variant (the busiest thread's CPU in the best run). */
function transformerOneCore(): Workload {
  let best = Infinity;
  let busiest: number[] = [];
  return {
    name: 'transformer-step-x10',
    reps: 3,
    setup: maskedLm,
    run() {
      const before = threadCpu();
      const t0 = performance.now();
      const { inputs, rows, labels } = maskedLm();
      const bert = tinyBert();
      const optimizer = adam(1e-3);
      for (let s = 0; s < 10; s++) step(() => sparseSoftmaxCrossEntropy(bert.logits(inputs, rows), labels), bert.variables, optimizer);
      optimizer.dispose();
      bert.dispose();
      const ms = performance.now() - t0;
      if (ms < best) {
        best = ms;
        busiest = [...threadCpu()].map(([t, c]) => c - (before.get(t) ?? 0)).sort((a, b) => b - a).slice(0, 1);
      }
    },
    extra: () => ({ threadCpuMs: busiest }),
  };
}

function transformerTwoCores(): Workload {
  let pool: DataParallel | undefined;
  let shards: Shard[] | undefined;
  let best = Infinity;
  let busiest: number[] = [];
  return {
    name: 'transformer-step-x10-2cores',
    reps: 3,
    async setup() {
      pool ??= await dataParallel({ workers: 1 });
      shards ??= maskedLmShards(pool.replicas);
    },
    async run() {
      const before = threadCpu();
      const t0 = performance.now();
      await pool!.build(__filename);
      for (let s = 0; s < 10; s++) await pool!.step(shards!);
      const ms = performance.now() - t0;
      if (ms < best) {
        best = ms;
        busiest = [...threadCpu()].map(([t, c]) => c - (before.get(t) ?? 0)).sort((a, b) => b - a).slice(0, 2);
      }
    },
    extra() {
      void pool?.close();
      // the two busiest threads' CPU in the best run: on a quiet machine the wall time is about the larger one
      return { cores: 2, how: 'main thread + 1 worker (lib/engine/parallel), 16 sequences each', threadCpuMs: busiest };
    },
  };
}

function product(name: string, sa: number[], sb: number[], tA: boolean, tB: boolean): Workload {
  let a: tf.Tensor | undefined;
  let b: tf.Tensor | undefined;
  let best = Infinity;
  const m = tA ? sa[sa.length - 1] : sa[sa.length - 2];
  const k = tA ? sa[sa.length - 2] : sa[sa.length - 1];
  const n = tB ? sb[sb.length - 2] : sb[sb.length - 1];
  const flops = 2 * m * n * k * sa.slice(0, -2).reduce((p, d) => p * d, 1);
  const times = Math.max(1, Math.round(2e8 / flops));
  return {
    name,
    reps: 5,
    setup() {
      a ??= tf.keep(tf.randomNormal(sa, 0, 1, 'float32', 1));
      b ??= tf.keep(tf.randomNormal(sb, 0, 1, 'float32', 2));
    },
    run() {
      const t0 = performance.now();
      for (let i = 0; i < times; i++) tf.matMul(a!, b!, tA, tB).dispose();
      best = Math.min(best, (performance.now() - t0) / times);
    },
    extra: () => ({ gflops: Math.round((flops / best / 1e6) * 10) / 10 }),
  };
}

/** layerNorm forward + backward (fused on wasm); `extra` times the composition for comparison. */
function layerNormWorkload(): Workload {
  let args: tf.Tensor[] | undefined;
  let composedBest = Infinity;
  const composed = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return x.sub(mean).mul(tf.rsqrt(variance.add(1e-5))).mul(g).add(b);
  };
  const once = (f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => {
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(x, g, b).sum() as tf.Scalar)(args!);
    value.dataSync();
    tf.dispose([value, ...grads]);
  };
  return {
    name: 'layernorm-2048x128',
    reps: 10,
    setup() {
      args ??= [tf.randomNormal([2048, 128], 0, 1, 'float32', 3), tf.randomNormal([128], 1, 0.1, 'float32', 4), tf.randomNormal([128], 0, 0.1, 'float32', 5)].map((t) => tf.keep(t));
    },
    run() {
      once(layerNorm);
    },
    extra: () => {
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        once(composed);
        composedBest = Math.min(composedBest, performance.now() - t0);
      }
      return { composedMs: Math.round(composedBest * 100) / 100 };
    },
  };
}

export const workloads: Workload[] = [
  transformerOneCore(),
  transformerTwoCores(),
  {
    name: 'bilstm-10steps',
    reps: 2,
    setup() {
      if (!lstmData) {
        const { sequences, frames, features, classes } = BILSTM;
        const next = seededRandom(0);
        const x = tf.randomNormal([sequences, frames, features], 0, 1, 'float32', 1) as tf.Tensor3D;
        const y = tf.oneHot(tf.tensor1d(Array.from({ length: sequences }, () => Math.floor(next() * classes)), 'int32'), classes) as tf.Tensor2D;
        lstmData = { x, y, model: biLstm(), optimizer: adam(1e-3) };
      }
      lstmEpoch(); // warm-up epoch, as the reference
    },
    run: lstmEpoch,
  },
  biGruWorkload(),
  product('matmul-512x512x512', [512, 512], [512, 512], false, false),
  product('matmul-2048x128x128', [2048, 128], [128, 128], false, false),
  product('matmul-2048x128T-x128', [2048, 128], [2048, 128], true, false),
  product('matmul-2048x128-x512x128T', [2048, 128], [512, 128], false, true),
  product('matmul-qkT-32x4x64x32', [32, 4, 64, 32], [32, 4, 64, 32], false, true),
  product('matmul-pv-32x4x64x64', [32, 4, 64, 64], [32, 4, 64, 32], false, false),
  layerNormWorkload(),
];
