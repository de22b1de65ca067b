/**
 * Benchmark workloads of the embeddings (issue 10), exactly as `bench/reference/reference_embed.py`
 * defines them for scikit-learn:
 *   pca-10000x784 : PCA of all 10,000 digits (files 0..9 concatenated) to 50 components — target ≤ 1.0× scikit-learn
 *   tsne-5000     : t-SNE (2-D, perplexity 30, 1,000 iterations) of the first 5,000 digits in interleaved
 *                   order (row i·10 + d is the i-th image of digit d), after PCA of those to 50 dims (untimed)
 *                   — target ≤ 0.5× scikit-learn, trustworthiness (k = 10) ≥ scikit-learn's − 0.01
 *   tsne-20000    : the same for 20,000 points — target ≤ 60 s. The package ships 10,000 digits, so the
 *                   interleaved digits are repeated with a small seeded jitter (σ = 0.01) to make 20,000
 *                   distinct points; scikit-learn's reference cannot run it on the same files.
 */
import { mnistDigitsByClass, seededRandom } from '../../lib/data';
import { pca, trustworthiness, tsne, type Embedding, type PcaEmbedding } from '../../lib/explain/internals';
import type { Workload } from '../workload';

const DIM = 784;

/** All 10,000 digits, class files concatenated. */
function allDigits(): { data: Float32Array; shape: [number, number] } {
  const per = mnistDigitsByClass();
  const data = new Float32Array(per.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of per) {
    data.set(p, at);
    at += p.length;
  }
  return { data, shape: [data.length / DIM, DIM] };
}

/** The first `n` digits in interleaved order (row i·10 + d = i-th image of digit d); beyond 10 × the rarest class, jittered repeats. */
function interleaved(n: number): { data: Float32Array; shape: [number, number] } {
  const per = mnistDigitsByClass();
  const m = Math.min(...per.map((p) => p.length / DIM));
  const data = new Float32Array(n * DIM);
  const rnd = seededRandom(20000);
  for (let r = 0; r < n; r++) {
    const copy = Math.floor(r / (10 * m));
    const row = r % (10 * m);
    const i = Math.floor(row / 10);
    const d = row % 10;
    data.set(per[d].subarray(i * DIM, (i + 1) * DIM), r * DIM);
    if (copy > 0) for (let j = r * DIM; j < (r + 1) * DIM; j++) data[j] += 0.01 * (rnd() - 0.5) * 3.46;
  }
  return { data, shape: [n, DIM] };
}

function tsneWorkload(n: number, reps: number): Workload {
  let input: PcaEmbedding | undefined;
  let last: Embedding | undefined;
  return {
    name: `tsne-${n}`,
    reps,
    setup() {
      input ??= pca(interleaved(n), { components: 50 });
    },
    async run() {
      last = await tsne(input as PcaEmbedding, { perplexity: 30, iterations: 1000, progress: false });
    },
    extra: () => (last && n <= 5000 ? { trustworthiness: Math.round(trustworthiness(input as PcaEmbedding, last, 10) * 1e4) / 1e4 } : {}),
  };
}

let digits: ReturnType<typeof allDigits> | undefined;

export const workloads: Workload[] = [
  {
    name: 'pca-10000x784',
    reps: 3,
    setup() {
      digits ??= allDigits();
    },
    run() {
      pca(digits as ReturnType<typeof allDigits>, { components: 50 });
    },
  },
  tsneWorkload(5000, 1),
  tsneWorkload(20000, 1),
];
