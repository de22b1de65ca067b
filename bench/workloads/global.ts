/**
 * Benchmark workloads of feature visualization (issue 9), exactly as `bench/reference/reference_cnn.py`
 * defines them (targets ≤ 1.5× PyTorch in the same sitting):
 *   classmax-10x256 : one 28×28 image per class (10), pixels as the parameter (no bound, start
 *                     0.5 + 0.01·N(0, 1)), 256 Adam(0.05) steps maximizing each image's own class logit;
 *                     no regularizer, no transforms
 *   filters-32x256  : conv2's 32 filters in one batch: image b maximizes the mean of channel b of
 *                     conv2's ReLU output, 256 Adam(0.05) steps
 * Model: the reference CNN (seed 0, untrained: timing only, as in the reference). Both run the
 * library's own `render` (quiet), which also keeps the per-step objective history.
 */
import { referenceCnn } from '../../lib/models';
import { channel, classScore, pixels, range, render } from '../../lib/explain/global';
import type { tf } from '../../lib/engine/tf';
import type { Workload } from '../workload';

let model: tf.LayersModel | undefined;
const setup = () => (model ??= referenceCnn({ seed: 0 }));
const param = pixels({ bound: 'none', start: 0.5, noise: 0.01 });

export const workloads: Workload[] = [
  {
    name: 'classmax-10x256',
    setup,
    async run() {
      (await render(setup(), classScore(range(10)), { steps: 256, lr: 0.05, param, quiet: true })).dispose();
    },
  },
  {
    name: 'filters-32x256',
    setup,
    async run() {
      (await render(setup(), channel('conv2', range(32), { reduce: 'mean' }), { steps: 256, lr: 0.05, param, quiet: true })).dispose();
    },
  },
];
