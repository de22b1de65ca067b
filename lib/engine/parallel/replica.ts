/**
 * One replica of a data-parallel training run (synchronous data parallelism as in Dean et al. 2012,
 * "Large scale distributed deep networks", and Goyal et al. 2017, "Accurate, large minibatch SGD"):
 * a model built by a factory module, a loss over one shard of the batch, and the optimizer that
 * every replica applies to the same averaged gradient. The same code runs in the main thread and in
 * every worker (`worker.ts`), so the averaged gradient — and hence every replica's weights — is
 * computed by the same operations in the same order everywhere.
 *
 * A factory module is a CommonJS module (compiled `.js`) exporting a {@link ReplicaFactory},
 * `createReplica` by default; it is `require`d once in every thread.
 *
 * @example
 * ```ts
 * // replicaModule.ts
 * export function createReplica(options: { units: number }): Replica {
 *   const model = tf.sequential({ layers: [tf.layers.dense({ units: options.units, inputShape: [4] })] });
 *   const optimizer = tf.train.adam(1e-3);
 *   return { variables: model.trainableWeights.map((w) => w.read() as tf.Variable), optimizer,
 *     loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x) as tf.Tensor) as tf.Scalar,
 *     dispose: () => { model.dispose(); optimizer.dispose(); } };
 * }
 * ```
 */
import { tf } from '../tf';

/** What every replica applies to the averaged gradient (tfjs optimizers and lib/models' `adam` fit). */
export interface ReplicaOptimizer {
  applyGradients(grads: tf.NamedTensorMap): void;
  dispose(): void;
}

/** A model replica: its trainable variables (float32, the same shapes in the same order in every replica), loss and optimizer. */
export interface Replica {
  variables: tf.Variable[];
  /** The mean loss over one shard (the tensors of {@link Shard}, by name). */
  loss(batch: Record<string, tf.Tensor>): tf.Scalar;
  optimizer: ReplicaOptimizer;
  dispose(): void;
}

/** Builds a replica from JSON-cloneable options (called once per thread per build). */
export type ReplicaFactory = (options: unknown) => Replica | Promise<Replica>;

/** A tensor as plain data, to cross between threads. */
export interface HostTensor {
  values: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/**
 * One replica's part of the batch: named tensors and the weight of its mean loss in the batch's
 * mean (e.g. its number of examples, or of masked positions), so that the weighted average of the
 * shards' gradients is the gradient of the whole batch's mean loss.
 */
export interface Shard {
  inputs: Record<string, HostTensor | tf.Tensor>;
  weight: number;
}

/** `t` as a {@link HostTensor} (a copy of its values). */
export function hostTensor(t: tf.Tensor): HostTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'bool') throw new Error(`hostTensor: dtype must be float32, int32 or bool; got ${t.dtype}`);
  return { values: t.dataSync() as HostTensor['values'], shape: t.shape.slice(), dtype: t.dtype };
}

function toTensor(h: HostTensor | tf.Tensor): tf.Tensor {
  return h instanceof tf.Tensor ? h.clone() : tf.tensor(h.values, h.shape, h.dtype);
}

/** A shard with every tensor as host data (for postMessage). */
export function hostShard(s: Shard): { inputs: Record<string, HostTensor>; weight: number } {
  const inputs: Record<string, HostTensor> = {};
  for (const [k, v] of Object.entries(s.inputs)) inputs[k] = v instanceof tf.Tensor ? hostTensor(v) : v;
  return { inputs, weight: s.weight };
}

/** Loads `exportName` of the factory module at `modulePath` and builds a replica. */
export async function buildReplica(modulePath: string, exportName: string, options: unknown): Promise<Replica> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(modulePath) as Record<string, unknown>;
  const factory = mod[exportName];
  if (typeof factory !== 'function') throw new Error(`dataParallel: module ${modulePath} does not export a function '${exportName}'; it exports ${Object.keys(mod).join(', ') || 'nothing'}`);
  const replica = (await (factory as ReplicaFactory)(options)) as Replica;
  if (!replica || !Array.isArray(replica.variables) || typeof replica.loss !== 'function' || typeof replica.optimizer?.applyGradients !== 'function') {
    throw new Error(`dataParallel: ${exportName}() of ${modulePath} must return { variables, loss, optimizer, dispose }`);
  }
  const bad = replica.variables.find((v) => v.dtype !== 'float32');
  if (bad) throw new Error(`dataParallel: variable ${bad.name} is ${bad.dtype}; every trainable variable must be float32`);
  return replica;
}

/**
 * A replica with the gradient exchange: gradients written into this replica's slot of a shared
 * buffer (one slot per replica, variables concatenated), and the update from all slots.
 */
export class ReplicaRunner {
  readonly shapes: number[][];
  readonly offsets: number[];
  readonly total: number;

  constructor(readonly replica: Replica) {
    this.shapes = replica.variables.map((v) => v.shape.slice());
    this.offsets = [];
    let o = 0;
    for (const v of replica.variables) {
      this.offsets.push(o);
      o += v.size;
    }
    this.total = o;
  }

  /** Every variable's values (copies). */
  weights(): Float32Array[] {
    return this.replica.variables.map((v) => v.dataSync() as Float32Array);
  }

  /** Assigns `values` (in variable order). */
  setWeights(values: Float32Array[]): void {
    this.replica.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(values[i], v.shape, 'float32'))));
  }

  /**
   * Computes the gradients of the shard's mean loss, copies them into `slot` (length `total`, this
   * replica's part of the shared buffer) and returns the loss and the gradient tensors (kept for
   * {@link apply}, which disposes them).
   */
  gradients(inputs: Record<string, HostTensor | tf.Tensor>, slot: Float32Array): { loss: number; grads: tf.Tensor[] } {
    const batch: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) batch[k] = toTensor(v);
    try {
      const vars = this.replica.variables;
      const { value, grads } = tf.variableGrads(() => this.replica.loss(batch), vars);
      const own = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
      own.forEach((g, i) => slot.set(g.dataSync() as Float32Array, this.offsets[i]));
      const loss = value.dataSync()[0];
      value.dispose();
      return { loss, grads: own };
    } finally {
      tf.dispose(Object.values(batch));
    }
  }

  /**
   * Applies the optimizer to Σ wᵢ·gᵢ / Σ wᵢ over the replicas' slots (replica `self`'s own gradient
   * is `own`, equal to its slot): the same kernels on the same values in the same order in every
   * replica, so the replicas stay identical. Disposes `own`.
   */
  apply(slots: Float32Array[], weights: number[], self: number, own: tf.Tensor[]): void {
    const named: tf.NamedTensorMap = {};
    try {
      const sum = weights.reduce((a, b) => a + b, 0);
      if (!(sum > 0)) throw new Error(`dataParallel: the shards' weights must add up to a positive number; got ${weights.join(', ')}`);
      const w = weights.map((x) => x / sum);
      this.replica.variables.forEach((v, i) => {
        const o = this.offsets[i];
        named[v.name] = tf.tidy(() => {
          let acc: tf.Tensor | undefined;
          slots.forEach((slot, r) => {
            const g = r === self ? own[i] : tf.tensor(slot.subarray(o, o + v.size), v.shape, 'float32');
            const part = tf.mul(g, tf.scalar(w[r], 'float32'));
            acc = acc ? tf.add(acc, part) : part;
          });
          return acc!;
        });
      });
      this.replica.optimizer.applyGradients(named);
    } finally {
      tf.dispose([...Object.values(named), ...own]);
    }
  }
}
