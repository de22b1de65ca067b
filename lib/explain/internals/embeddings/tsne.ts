/**
 * t-SNE (van der Maaten & Hinton 2008) with Barnes-Hut gradients (van der Maaten 2014) and the
 * current defaults (Belkina et al. 2019; Kobak & Berens 2019; openTSNE): perplexity 30, early
 * exaggeration 12 for 250 iterations, learning rate max(N/12, 200), PCA initialization scaled to
 * a standard deviation of 1e-4, momentum 0.5 then 0.8. Exact neighbours (3·perplexity of them,
 * through the engine's matrix product), sparse P (memory linear in N), the iterations in
 * WebAssembly SIMD (`tsne.c`). Deterministic: the same input and seed give the same map.
 *
 * In a notebook the map can be redrawn while it runs: `onIteration` receives the iteration, the
 * KL divergence and the current map every `reportEvery` iterations.
 *
 * @example
 * ```ts
 * const id = newDisplayId();
 * const map = await tsne(pca(x, { components: 50 }), {
 *   onIteration: (s) => displaySink().update(scatter(s.embedding.rows(), { labels, title: `t-SNE, iteration ${s.iteration}, KL ${s.kl.toFixed(3)}` }).bundle, undefined, id),
 * });
 * ```
 */
import { checkChoice, checkInteger } from '../../../checks';
import { seededRandom } from '../../../data/permutation';
import { progress } from '../../../display/progress';
import { throwIfInterrupted } from '../../../display/interrupt';
import { jointProbabilities, type SparseAffinities } from './affinities';
import { embedding, type Embedding } from './embedding';
import { nearestNeighbours } from './neighbours';
import { pca } from './pca';
import { toPoints, type PointsInput } from './points';
import { tsneMachine } from './tsneWasm';

/** The state passed to {@link TsneOptions.onIteration}. */
export interface TsneIteration {
  /** Iterations done so far. */
  readonly iteration: number;
  /** KL(P ‖ Q) of the current map (with the true P, also during exaggeration). */
  readonly kl: number;
  /** True while the early exaggeration phase runs. */
  readonly exaggerating: boolean;
  /** The current map. */
  readonly embedding: Embedding;
}

/** Options of {@link tsne}. */
export interface TsneOptions {
  /** Effective number of neighbours (default 30); needs at least 3·perplexity + 1 points. */
  perplexity?: number;
  /** Gradient-descent iterations in all (default 1000). */
  iterations?: number;
  /** Multiplier of P in the first phase (default 12). */
  earlyExaggeration?: number;
  /** Iterations of the first phase (default 250). */
  exaggerationIterations?: number;
  /** Step size (default max(N/12, 200); gradient without the factor 4, as openTSNE). */
  learningRate?: number;
  /** 'pca' (default: the first two principal components, scaled to std 1e-4) or 'random'. */
  init?: 'pca' | 'random';
  /** Seed of the random initialization (default 0). */
  seed?: number;
  /** Barnes-Hut accuracy: a cell of width w at distance d counts as one point when w/d < theta (default 0.5; 0 = exact). */
  theta?: number;
  /** Called every `reportEvery` iterations (and at the end) with the current map. */
  onIteration?: (state: TsneIteration) => void | Promise<void>;
  /** Iterations between reports (default 50). */
  reportEvery?: number;
  /** Show a progress bar with the KL divergence (default true). */
  progress?: boolean;
}

/** A t-SNE map. */
export interface TsneEmbedding extends Embedding {
  /** KL(P ‖ Q) at the end. */
  readonly kl: number;
  readonly perplexity: number;
  readonly iterations: number;
  /** KL divergence at each report, [iteration, kl] pairs. */
  readonly history: [number, number][];
}

/** KL(P ‖ Q) for the sparse P and the map y, with Z the normalization of Q. */
export function klDivergence(P: SparseAffinities, y: Float64Array, z: number): number {
  let kl = 0;
  for (let i = 0; i < P.count; i++) {
    for (let a = P.rowStart[i]; a < P.rowStart[i + 1]; a++) {
      const j = P.cols[a];
      const p = P.vals[a];
      if (p <= 0) continue;
      const dx = y[2 * i] - y[2 * j];
      const dy = y[2 * i + 1] - y[2 * j + 1];
      kl += p * Math.log((p * z) * (1 + dx * dx + dy * dy));
    }
  }
  return kl;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A 2-D t-SNE map of the points `x` (typically 50 principal components of a layer's activations).
 * Throws when there are fewer than 3·perplexity + 1 points or when rows hold NaN or Infinity.
 * Awaits between blocks of iterations, so a notebook can show the map moving and interrupt it.
 *
 * @example
 * ```ts
 * const map = await tsne(pca(activations(model, images, ['dense']).dense, { components: 50 }));
 * trustworthiness(x50, map, 10);
 * ```
 */
export async function tsne(x: PointsInput, options: TsneOptions = {}): Promise<TsneEmbedding> {
  const where = 'tsne';
  const points = toPoints(where, 'x', x);
  const n = points.count;
  const perplexity = options.perplexity ?? 30;
  if (typeof perplexity !== 'number' || !(perplexity >= 1)) throw new Error(`${where}: options.perplexity must be a number ≥ 1; got ${perplexity}`);
  const k = Math.floor(3 * perplexity + 1);
  if (n < k + 1) throw new Error(`${where}: perplexity ${perplexity} needs at least ${k + 1} points (3 × perplexity + 1 neighbours each, plus the point); got ${n} points — lower options.perplexity`);
  const iterations = checkInteger(where, 'options.iterations', options.iterations ?? 1000, 1);
  const exaggerationIterations = Math.min(iterations, checkInteger(where, 'options.exaggerationIterations', options.exaggerationIterations ?? 250, 0));
  const exaggeration = options.earlyExaggeration ?? 12;
  if (!(exaggeration > 0)) throw new Error(`${where}: options.earlyExaggeration must be > 0; got ${exaggeration}`);
  const learningRate = options.learningRate ?? Math.max(n / 12, 200);
  if (!(learningRate > 0)) throw new Error(`${where}: options.learningRate must be > 0; got ${learningRate}`);
  const theta = options.theta ?? 0.5;
  if (!(theta >= 0)) throw new Error(`${where}: options.theta must be ≥ 0; got ${theta}`);
  const init = checkChoice(where, 'options.init', options.init ?? 'pca', ['pca', 'random'] as const);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new Error(`${where}: options.seed must be an integer; got ${seed}`);
  const reportEvery = checkInteger(where, 'options.reportEvery', options.reportEvery ?? 50, 1);

  const P = jointProbabilities(nearestNeighbours(points, k), perplexity);
  const y0 = new Float64Array(2 * n);
  if (init === 'pca' && points.dims >= 2) {
    const start = pca({ data: points.data, shape: [n, points.dims] }, { components: 2 }).data;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += start[2 * i];
    mean /= n;
    let sd = 0;
    for (let i = 0; i < n; i++) sd += (start[2 * i] - mean) ** 2;
    sd = Math.sqrt(sd / n) || 1;
    for (let i = 0; i < 2 * n; i++) y0[i] = (start[i] / sd) * 1e-4;
  } else {
    const rnd = seededRandom(seed);
    for (let i = 0; i < 2 * n; i++) {
      const u = Math.max(rnd(), 1e-12);
      y0[i] = 1e-4 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
    }
  }
  const machine = tsneMachine(P, y0);
  const bar = progress({ total: iterations, label: `t-SNE of ${n} points`, enabled: options.progress ?? true });
  const history: [number, number][] = [];
  let done = 0;
  let kl = NaN;
  while (done < iterations) {
    const exaggerating = done < exaggerationIterations;
    const phaseEnd = exaggerating ? exaggerationIterations : iterations;
    const steps = Math.min(reportEvery - (done % reportEvery), phaseEnd - done);
    const z = machine.iterate(steps, { exaggeration: exaggerating ? exaggeration : 1, momentum: exaggerating ? 0.5 : 0.8, learningRate, theta });
    done += steps;
    if (done === exaggerationIterations) machine.resetMomentum();
    if (done % reportEvery === 0 || done === iterations) {
      const y = machine.positions();
      kl = klDivergence(P, y, z); // Z is the Barnes-Hut estimate from the last step's gradient (as scikit-learn reports it)
      history.push([done, kl]);
      bar.tick({ KL: kl }, done - bar.count);
      if (options.onIteration) await options.onIteration({ iteration: done, kl, exaggerating, embedding: embedding('tsne', Float32Array.from(y), n, 2, {}) });
      await yieldToEventLoop();
      throwIfInterrupted('tsne');
    }
  }
  bar.done({ KL: kl });
  const y = Float32Array.from(machine.positions());
  return embedding<Omit<TsneEmbedding, keyof Embedding>>('tsne', y, n, 2, { kl, perplexity, iterations, history });
}
