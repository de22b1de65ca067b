/**
 * Data-parallel training (lib/engine/parallel): two replicas (main thread + one worker) trained on
 * uneven halves of each batch end with the same weights as each other (exactly) and as one replica
 * trained on the whole batch (≤ 1e-4); a worker's error reaches the caller with the worker's
 * message and terminates the workers; a process that uses the pool exits by itself.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { tf } from '../lib/engine';
import { dataParallel, type HostTensor } from '../lib/engine/parallel';
import { relativeError } from './engine-seq-check';
import { createReplica } from './parallel-replica';

const MODULE = require.resolve('./parallel-replica');
const ROWS = 16;
const SPLIT = 5; // uneven shards: the weighting by shard size is tested too

function batches(k: number): { x: tf.Tensor2D; y: tf.Tensor2D }[] {
  return Array.from({ length: k }, (_, i) =>
    tf.tidy(() => ({
      x: tf.randomNormal([ROWS, 6], 0, 1, 'float32', 100 + i) as tf.Tensor2D,
      y: tf.oneHot(tf.randomUniform([ROWS], 0, 3, 'int32', 200 + i) as tf.Tensor1D, 3).toFloat() as tf.Tensor2D,
    })),
  );
}

describe('data-parallel training (worker_threads, one engine per thread)', function () {
  this.timeout(300000);

  it('after 6 Adam steps both replicas equal each other and a single-process run on the full batch', async () => {
    const before = tf.memory().numTensors;
    const data = batches(6);
    // the reference: one replica, the whole batch
    const single = createReplica();
    const singleLosses: number[] = [];
    for (const b of data) {
      const { value, grads } = tf.variableGrads(() => single.loss(b), single.variables);
      single.optimizer.applyGradients(grads);
      singleLosses.push(value.dataSync()[0]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const want = single.variables.map((v) => v.dataSync() as Float32Array);
    const initial = createReplica();
    const start = initial.variables.map((v) => v.dataSync() as Float32Array);
    initial.dispose();
    single.dispose();

    const dp = await dataParallel({ workers: 1 });
    try {
      await dp.build(MODULE, {});
      const losses: number[] = [];
      for (const b of data) {
        const shards = [0, 1].map((r) => {
          const [from, size] = r === 0 ? [0, SPLIT] : [SPLIT, ROWS - SPLIT];
          return { inputs: { x: b.x.slice([from, 0], [size, 6]), y: b.y.slice([from, 0], [size, 3]) }, weight: size };
        });
        losses.push(await dp.step(shards));
        shards.forEach((s) => tf.dispose(Object.values(s.inputs)));
      }
      const [w0, w1] = [await dp.weights(0), await dp.weights(1)];
      w0.forEach((w, i) => {
        assert.deepStrictEqual(Array.from(w1[i]), Array.from(w), `variable ${i}: the replicas differ`);
        assert.ok(relativeError(w, want[i]) <= 1e-4, `variable ${i}: ${relativeError(w, want[i])} from the single-process run`);
        assert.ok(relativeError(w, start[i]) > 1e-3, `variable ${i} did not move`);
      });
      losses.forEach((l, i) => assert.ok(Math.abs(l - singleLosses[i]) <= 1e-5 * Math.max(1, Math.abs(singleLosses[i])), `loss ${i}: ${l} vs ${singleLosses[i]}`));
    } finally {
      await dp.close();
      data.forEach((b) => tf.dispose([b.x, b.y]));
    }
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
  });

  it("the benchmark's tiny BERT: 3 MLM steps on two cores equal one process on the whole batch", async () => {
    const bench = await import('../bench/workloads/sequence');
    const shards = bench.maskedLmShards(2);
    const whole = bench.maskedLmShards(1)[0]; // (the benchmark keeps its batch as 3 tensors)
    const before = tf.memory().numTensors;
    const single = bench.createReplica();
    for (let s = 0; s < 3; s++) {
      const inputs = Object.fromEntries(Object.entries(whole.inputs).map(([k, h]) => [k, tf.tensor((h as HostTensor).values, (h as HostTensor).shape, (h as HostTensor).dtype)]));
      const { value, grads } = tf.variableGrads(() => single.loss(inputs), single.variables);
      single.optimizer.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads), ...Object.values(inputs)]);
    }
    const want = single.variables.map((v) => v.dataSync() as Float32Array);
    single.dispose();
    const dp = await dataParallel({ workers: 1 });
    try {
      await dp.build(require.resolve('../bench/workloads/sequence'));
      for (let s = 0; s < 3; s++) await dp.step(shards);
      const [w0, w1] = [await dp.weights(0), await dp.weights(1)];
      let worst = 0;
      w0.forEach((w, i) => {
        assert.deepStrictEqual(Buffer.from(w1[i].buffer, w1[i].byteOffset, w1[i].byteLength).equals(Buffer.from(w.buffer, w.byteOffset, w.byteLength)), true, `variable ${i}: the replicas differ`);
        worst = Math.max(worst, relativeError(w, want[i]));
      });
      assert.ok(worst <= 1e-4, `largest relative error from the single-process run: ${worst}`);
      console.log(`      tiny BERT, 3 steps: largest relative error from one process ${worst.toExponential(2)}; masked positions per shard ${shards.map((s) => s.weight)}`);
    } finally {
      await dp.close();
    }
    assert.strictEqual(tf.memory().numTensors, before, 'tensors leaked');
  });

  for (const failIn of ['build', 'loss'] as const) {
    it(`an error in a worker's ${failIn} reaches the caller with the worker's message, and the pool closes`, async () => {
      const dp = await dataParallel({ workers: 1 });
      const x = tf.zeros([2, 6]);
      const y = tf.tidy(() => tf.oneHot([0, 1], 3).toFloat());
      try {
        const run = async () => {
          await dp.build(MODULE, { failIn });
          await dp.step([{ inputs: { x, y }, weight: 2 }, { inputs: { x, y }, weight: 2 }]);
        };
        await assert.rejects(run, (e: Error) => /worker 1 failed: test replica: \w+ failed on purpose in a worker/.test(e.message) || assert.fail(e.message));
        assert.ok(dp.isClosed);
        await assert.rejects(() => dp.step([{ inputs: { x, y }, weight: 2 }, { inputs: { x, y }, weight: 2 }]), /the pool is closed/);
      } finally {
        await dp.close();
        tf.dispose([x, y]);
      }
    });
  }

  it('checks its input', async () => {
    const dp = await dataParallel({ workers: 1 });
    try {
      assert.throws(() => dp.step([]), /dataParallel.step: shards must be an array of 2 shards .* got 0/);
      assert.throws(() => dp.build('relative/path.js'), /dataParallel.build: modulePath must be an absolute path/);
      await assert.rejects(() => dp.build(MODULE, {}, 'nothing'), /does not export a function 'nothing'/);
      await assert.rejects(() => dataParallel({ workers: 0 }), /options.workers must be a positive integer; got 0/);
    } finally {
      await dp.close();
    }
  });

  it('a process whose worker failed, or that never closed its pool, exits by itself', () => {
    const engine = path.join(__dirname, '../lib/engine');
    for (const [what, tail] of [
      ['failed', `await dp.build(${JSON.stringify(MODULE)}, { failIn: 'loss' }); try { await dp.step([s, s]); } catch (e) { console.log('caught: ' + e.message); }`],
      ['left open', `await dp.build(${JSON.stringify(MODULE)}, {}); await dp.step([s, s]); console.log('caught: nothing');`],
    ]) {
      const script = `(async () => { const { ready, tf } = require(${JSON.stringify(engine)}); await ready({ verbose: false });
        const { dataParallel } = require(${JSON.stringify(engine + '/parallel')});
        const dp = await dataParallel({ workers: 1 });
        const s = { inputs: { x: tf.zeros([2, 6]), y: tf.oneHot([0, 1], 3).toFloat() }, weight: 2 };
        ${tail} })().catch((e) => { console.log('unexpected: ' + e.message); process.exitCode = 3; });`;
      const r = spawnSync(process.execPath, ['-e', script], { timeout: 120000, encoding: 'utf8' });
      assert.strictEqual(r.error, undefined, `${what}: the process did not exit within 120 s`);
      assert.strictEqual(r.status, 0, `${what}: exit ${r.status}: ${r.stdout} ${r.stderr}`);
      assert.match(r.stdout, what === 'failed' ? /caught: dataParallel worker 1 failed: test replica: loss failed on purpose/ : /caught: nothing/);
    }
  });
});
