/**
 * Benchmark workloads of the visual layer (issue 3 targets), found by bench/run.ts:
 *   heatmap-28x28-overlay : a signed 28×28 map over its MNIST digit, PNG + HTML figure — target ≤ 5 ms
 *   scatter-4000          : a 2-D scatter of 4,000 points in 10 classes with hover text (plotly JSON,
 *                           HTML, static SVG) — target ≤ 50 ms
 */
import { tf } from '../../lib/engine/tf';
import { loadMnist } from '../../lib/data';
import { heatmap, scatter } from '../../lib/viz';
import type { Workload } from '../workload';

interface Fixture {
  image: tf.Tensor4D;
  map: tf.Tensor4D;
  points: number[][];
  labels: number[];
  hover: string[];
}

let fixture: Fixture | undefined;

/** One real digit, a signed map of its size, and 4,000 seeded points, made once and kept. */
function setup(): Fixture {
  if (!fixture) {
    const d = loadMnist({ split: 'test', count: 4 });
    const image = tf.keep(d.images.slice(3, 1)) as tf.Tensor4D;
    tf.dispose([d.images, d.labels]);
    const map = tf.keep(tf.randomNormal([1, 28, 28, 1], 0, 1, 'float32', 7)) as tf.Tensor4D;
    let s = 12345;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const labels = Array.from({ length: 4000 }, (_, i) => i % 10);
    const points = labels.map((l) => [l + rand() * 3, Math.sin(l) * 4 + rand() * 3]);
    const hover = labels.map((l, i) => `#${i}: digit ${l}`);
    fixture = { image, map, points, labels, hover };
  }
  return fixture;
}

export const workloads: Workload[] = [
  {
    name: 'heatmap-28x28-overlay',
    setup,
    reps: 200,
    run() {
      const { image, map } = setup();
      heatmap(map, { image, opacity: 0.6 });
    },
  },
  {
    name: 'scatter-4000',
    setup,
    reps: 20,
    run() {
      const { points, labels, hover } = setup();
      scatter(points, { labels, hover, title: '4,000 points' });
    },
  },
];
