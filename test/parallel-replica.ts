/**
 * A replica factory for test/engine-parallel.test.ts (loaded by the data-parallel workers too):
 * a seeded two-layer classifier 6 → 8 (tanh) → 3 with softmax cross-entropy and lib/models' Adam.
 * `options.failIn` makes the workers (never the main thread) throw in 'build' or 'loss'.
 */
import { isMainThread } from 'worker_threads';
import { tf } from '../lib/engine';
import { adam } from '../lib/models/adam';
import type { Replica } from '../lib/engine/parallel';

/** Options of {@link createReplica}. */
export interface TestReplicaOptions {
  failIn?: 'build' | 'loss';
  learningRate?: number;
}

/** The classifier as a {@link Replica}. */
export function createReplica(options: TestReplicaOptions = {}): Replica {
  if (options.failIn === 'build' && !isMainThread) throw new Error('test replica: build failed on purpose in a worker');
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'tanh', inputShape: [6], kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }), biasInitializer: tf.initializers.randomNormal({ stddev: 0.1, seed: 4 }) }),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotNormal({ seed: 5 }) }),
    ],
  });
  const optimizer = adam(options.learningRate ?? 0.05);
  return {
    variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
    optimizer,
    loss: (b) => {
      if (options.failIn === 'loss' && !isMainThread) throw new Error('test replica: loss failed on purpose in a worker');
      return tf.losses.softmaxCrossEntropy(b.y, model.apply(b.x) as tf.Tensor) as tf.Scalar;
    },
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}
