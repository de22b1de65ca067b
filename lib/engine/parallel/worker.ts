/**
 * The worker side of {@link dataParallel} (run by `new Worker(…/worker.js)`; not for import): makes
 * its own tfjs engine ready (the main thread's backend, with tslab-xai's kernels), builds its
 * replica from the factory module, and per step computes its shard's gradients into its slot of the
 * shared buffer, waits until every slot is written, and applies the same averaged update as every
 * other replica. Every error is sent to the main thread as `{ type: 'error', message }`.
 *
 * @example
 * ```ts
 * new Worker(require.resolve('./worker'), { workerData: { backend: 'wasm' } });
 * ```
 */
import { parentPort, workerData } from 'worker_threads';
import { ready, tf, type BackendName } from '../index';
import { Mailbox, type Message } from './mailbox';
import { buildReplica, ReplicaRunner, type HostTensor } from './replica';

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('dataParallel worker: not started as a worker thread');
  const box = new Mailbox(port, 'main thread');
  await ready({ backend: (workerData as { backend: BackendName }).backend, verbose: false });
  let runner: ReplicaRunner | undefined;
  let slots: Float32Array[] = [];
  let slot = -1;
  port.postMessage({ type: 'started' });
  for (;;) {
    const m: Message = await box.next();
    if (m.type === 'build') {
      runner?.replica.dispose();
      runner = undefined;
      runner = new ReplicaRunner(await buildReplica(m.module as string, m.exportName as string, m.options));
      port.postMessage({ type: 'built', shapes: runner.shapes });
    } else if (m.type === 'init') {
      const buffer = m.buffer as SharedArrayBuffer;
      const total = runner!.total;
      slots = Array.from({ length: m.replicas as number }, (_, r) => new Float32Array(buffer, r * total * 4, total));
      slot = m.slot as number;
      if (m.weights) runner!.setWeights(m.weights as Float32Array[]);
      port.postMessage({ type: 'initialised' });
    } else if (m.type === 'step') {
      const { loss, grads } = runner!.gradients(m.inputs as Record<string, HostTensor>, slots[slot]);
      port.postMessage({ type: 'gradients', loss });
      try {
        await box.expect('go');
      } catch (e) {
        tf.dispose(grads);
        throw e;
      }
      runner!.apply(slots, m.weights as number[], slot, grads);
      port.postMessage({ type: 'applied' });
    } else if (m.type === 'weights') {
      port.postMessage({ type: 'weights', weights: runner!.weights() });
    } else if (m.type === 'dispose') {
      runner?.replica.dispose();
      runner = undefined;
      port.postMessage({ type: 'disposed' });
    } else {
      throw new Error(`unknown message '${m.type}'`);
    }
  }
}

serve().catch((e: Error) => {
  parentPort?.postMessage({ type: 'error', message: e?.message ?? String(e), stack: e?.stack });
});
