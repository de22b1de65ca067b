/**
 * Synchronous data-parallel training on several cores in one Node process (Dean et al. 2012,
 * "Large scale distributed deep networks"; Goyal et al. 2017, "Accurate, large minibatch SGD"):
 * tfjs-backend-wasm 4.22 cannot use threads in Node (its pthread workers start from blob: URLs),
 * so each extra core runs a `worker_threads` worker with its own tfjs, wasm backend and tslab-xai
 * kernels, holding a replica of the model. Per step every replica (the main thread's and each
 * worker's) computes the gradient of its shard's mean loss into its slot of a SharedArrayBuffer;
 * then every replica applies its optimizer to the same weighted average Σ wᵢ·gᵢ / Σ wᵢ (the weights
 * are the shards' sizes), computed by the same code in the same order, so the replicas stay
 * identical and equal to one process training on the whole batch (up to float rounding of the
 * summation order in the loss).
 *
 * The factory module (see {@link Replica}) must be compiled JavaScript: the workers `require` it,
 * and the worker script is `worker.js` next to this file (run from `dist/` after `npx tsc`).
 * An error in a worker rejects the call that was waiting on it with the worker's message and
 * terminates every worker; {@link DataParallel.close} terminates them too (idle workers do not
 * keep the process alive).
 *
 * @example
 * ```ts
 * const dp = await dataParallel({ workers: 1 });                 // main thread + 1 worker = 2 cores
 * await dp.build(require.resolve('./myReplica'), { units: 8 });
 * const loss = await dp.step([{ inputs: { x: x0, y: y0 }, weight: 16 }, { inputs: { x: x1, y: y1 }, weight: 16 }]);
 * await dp.close();
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { engineInfo, tf } from '../index';
import { Mailbox } from './mailbox';
import { buildReplica, hostShard, ReplicaRunner, type Shard } from './replica';

/** Options of {@link dataParallel}. */
export interface DataParallelOptions {
  /** Worker threads besides the main thread (default 1: two replicas for two cores). */
  workers?: number;
}

interface Peer {
  worker: Worker;
  box: Mailbox;
}

/** A pool of replicas: the main thread's and one per worker. */
export class DataParallel {
  private runner: ReplicaRunner | undefined;
  private slots: Float32Array[] = [];
  private closed = false;

  /** @internal use {@link dataParallel} */
  constructor(private readonly peers: Peer[]) {}

  /** Number of replicas (workers + the main thread): `step` takes this many shards. */
  get replicas(): number {
    return this.peers.length + 1;
  }

  /** Whether {@link close} ran (or a worker failed and every worker was terminated). */
  get isClosed(): boolean {
    return this.closed;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('dataParallel: the pool is closed (close() ran, or a worker failed)');
    try {
      this.peers.forEach((p) => p.worker.ref());
      return await work();
    } catch (e) {
      await this.close();
      throw e;
    } finally {
      this.peers.forEach((p) => p.worker.unref());
    }
  }

  /**
   * Builds a replica in every thread from `exportName` (default `createReplica`) of the factory
   * module at `modulePath` (an absolute path to compiled JavaScript, e.g. `require.resolve(…)`), then
   * copies the main thread's initial weights to every worker. Replaces the previous replicas.
   */
  build(modulePath: string, options: unknown = {}, exportName = 'createReplica'): Promise<void> {
    if (typeof modulePath !== 'string' || !path.isAbsolute(modulePath)) throw new Error(`dataParallel.build: modulePath must be an absolute path to a compiled module; got ${String(modulePath)}`);
    return this.guard(async () => {
      this.peers.forEach((p) => p.worker.postMessage({ type: 'build', module: modulePath, exportName, options }));
      this.runner?.replica.dispose();
      this.runner = undefined;
      this.runner = new ReplicaRunner(await buildReplica(modulePath, exportName, options));
      const want = JSON.stringify(this.runner.shapes);
      for (const [i, p] of this.peers.entries()) {
        const got = JSON.stringify((await p.box.expect('built')).shapes);
        if (got !== want) throw new Error(`dataParallel.build: worker ${i + 1}'s replica has variables of shapes ${got}; the main thread's: ${want}`);
      }
      const total = this.runner.total;
      const buffer = new SharedArrayBuffer(this.replicas * total * 4);
      this.slots = Array.from({ length: this.replicas }, (_, r) => new Float32Array(buffer, r * total * 4, total));
      const weights = this.runner.weights();
      this.peers.forEach((p, i) => p.worker.postMessage({ type: 'init', buffer, slot: i + 1, replicas: this.replicas, weights }));
      await Promise.all(this.peers.map((p) => p.box.expect('initialised')));
    });
  }

  /**
   * One synchronous step: shard r goes to replica r (0: the main thread), every replica computes its
   * gradient, and every replica applies the weighted average. Resolves with the batch's loss
   * (Σ wᵢ·lossᵢ / Σ wᵢ) once every replica has updated.
   */
  step(shards: Shard[]): Promise<number> {
    if (!Array.isArray(shards) || shards.length !== this.replicas) throw new Error(`dataParallel.step: shards must be an array of ${this.replicas} shards (one per replica); got ${Array.isArray(shards) ? shards.length : typeof shards}`);
    shards.forEach((s, i) => {
      if (!(s?.weight >= 0) || typeof s.inputs !== 'object') throw new Error(`dataParallel.step: shards[${i}] must be { inputs, weight ≥ 0 }; got weight ${s?.weight}`);
    });
    return this.guard(async () => {
      const runner = this.runner;
      if (!runner) throw new Error('dataParallel.step: no replicas yet; call build() first');
      const weights = shards.map((s) => s.weight);
      this.peers.forEach((p, i) => p.worker.postMessage({ type: 'step', inputs: hostShard(shards[i + 1]).inputs, weights }));
      const own = runner.gradients(shards[0].inputs, this.slots[0]);
      const losses = [own.loss];
      try {
        for (const p of this.peers) losses.push((await p.box.expect('gradients')).loss as number);
      } catch (e) {
        tf.dispose(own.grads);
        throw e;
      }
      this.peers.forEach((p) => p.worker.postMessage({ type: 'go' }));
      runner.apply(this.slots, weights, 0, own.grads);
      await Promise.all(this.peers.map((p) => p.box.expect('applied')));
      const sum = weights.reduce((a, b) => a + b, 0);
      return losses.reduce((a, l, i) => a + (weights[i] / sum) * l, 0);
    });
  }

  /** The weights of replica `r` (0: the main thread's), in variable order. */
  weights(r = 0): Promise<Float32Array[]> {
    return this.guard(async () => {
      if (!this.runner) throw new Error('dataParallel.weights: no replicas yet; call build() first');
      if (!Number.isInteger(r) || r < 0 || r >= this.replicas) throw new Error(`dataParallel.weights: r must be a replica index in 0..${this.replicas - 1}; got ${r}`);
      if (r === 0) return this.runner.weights();
      this.peers[r - 1].worker.postMessage({ type: 'weights' });
      return (await this.peers[r - 1].box.expect('weights')).weights as Float32Array[];
    });
  }

  /** Disposes every replica and terminates the workers (safe to call twice). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runner?.replica.dispose();
    this.runner = undefined;
    await Promise.all(this.peers.map((p) => p.worker.terminate()));
  }
}

/**
 * Starts `workers` worker threads (default 1), each making its own engine ready on the main
 * thread's backend (call `ready()` first), and returns the pool.
 *
 * @example
 * ```ts
 * await ready();
 * const dp = await dataParallel({ workers: 1 });
 * ```
 */
export async function dataParallel(options: DataParallelOptions = {}): Promise<DataParallel> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`dataParallel: options.workers must be a positive integer; got ${workers}`);
  const info = engineInfo();
  if (!info) throw new Error('dataParallel: make the engine ready first (await ready())');
  const script = path.join(__dirname, 'worker.js');
  if (!fs.existsSync(script)) throw new Error(`dataParallel: the worker script ${script} does not exist; run the compiled JavaScript (npx tsc, then dist/…), not the TypeScript sources`);
  const peers: Peer[] = [];
  for (let i = 0; i < workers; i++) {
    const worker = new Worker(script, { workerData: { backend: info.backend } });
    peers.push({ worker, box: new Mailbox(worker, `dataParallel worker ${i + 1}`) });
  }
  const pool = new DataParallel(peers);
  try {
    await Promise.all(peers.map((p) => p.box.expect('started')));
  } catch (e) {
    await pool.close();
    throw e;
  }
  peers.forEach((p) => p.worker.unref());
  return pool;
}
