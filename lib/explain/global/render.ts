/**
 * The render loop of feature visualization (Erhan et al. 2009; Olah et al. 2017; Lucent's
 * `render_vis`): X* = argmax_X objective(model, T(P(θ))) by gradient ascent with Adam on the
 * parameters θ of a parameterization P, each step through random transforms T. One batch holds many
 * images, each with its own objective (all 32 filters of conv2 in one run). A live progress bar shows
 * the objective; the loop is interruptible; NaN stops it with the step named.
 *
 * @example
 * ```ts
 * const r = await render(model, channel('conv2', range(32), { reduce: 'mean' }), { steps: 256 });
 * r.images;        // [32, 28, 28, 1]: X* of each filter
 * r.values;        // the objective of each X* (untransformed)
 * r.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { progress } from '../../display/progress';
import { pollInterrupt } from '../../display/interrupt';
import { seededRandom } from '../../data/permutation';
import { adam } from '../../models/adam';
import { objectiveRunner } from './capture';
import type { Objective } from './objective';
import { Objective as ObjectiveClass } from './objective';
import type { Parameterization } from './param/param';
import { pixels } from './param/pixels';
import { fitTo, type Transform } from './transforms';
import { applyYosinski, checkYosinski, YOSINSKI_DEFAULTS, type YosinskiOptions } from './yosinski';

/** Options of {@link render}. */
export interface RenderOptions {
  /** How the image is made; default `pixels()` (clipped to [0, 1]). */
  param?: Parameterization;
  /** Images in the batch; default the objective's (one per channel/class given) or 1. */
  batch?: number;
  /** Adam steps; default 256 (Lucid: 512 at 224 px; 28 px converges sooner). */
  steps?: number;
  /** Adam learning rate; default 0.05 (Lucid). */
  lr?: number;
  /** Seed of the starting noise and the transforms; default 0. */
  seed?: number;
  /** Random transforms each step; default none. See `standardTransforms(28)`. */
  transforms?: Transform[];
  /** Steps (1..steps) after which to keep a copy of the images. */
  snapshots?: number[];
  /** Yosinski et al. 2015's regularizers (pixels only); `true` for {@link YOSINSKI_DEFAULTS}. */
  yosinski?: YosinskiOptions | boolean;
  /** No progress bar. */
  quiet?: boolean;
  /** Label of the progress bar; default 'render'. */
  label?: string;
}

/** What {@link render} returns; the caller disposes it. */
export interface RenderResult {
  /** The final images X* [n, h, w, c] (the last finite ones if the ascent met NaN). */
  images: tf.Tensor4D;
  /** Images kept after the requested steps. */
  snapshots: { step: number; images: tf.Tensor4D }[];
  /** Per step, the objective of each image (on the transformed input the step saw). */
  history: Float32Array[];
  /** The objective of each final image, untransformed. */
  values: Float32Array;
  /** Outputs of the layers the objective reads, for the final images. */
  activations: Record<string, tf.Tensor>;
  /** Steps completed. */
  steps: number;
  /** Why the ascent stopped early (NaN at step k), if it did. */
  stopped?: string;
  /** The objective's name, the parameterization, milliseconds. */
  objective: string;
  param: string;
  ms: number;
  /** Frees every tensor of the result (what `images`, `snapshots` and `activations` hold when it is called). */
  dispose(): void;
}

/** Runs gradient ascent on `objective`; see the module. */
export async function render(model: tf.LayersModel, objective: Objective, options: RenderOptions = {}): Promise<RenderResult> {
  const where = 'render';
  if (!(objective instanceof ObjectiveClass)) throw new Error(`${where}: objective must be an Objective (channel, neuron, classScore, … and their sums); got ${typeof objective}`);
  const { steps = 256, lr = 0.05, seed = 0, transforms = [], snapshots = [], quiet = false, label = 'render' } = options;
  if (!Number.isInteger(steps) || steps <= 0) throw new Error(`${where}: options.steps must be a positive integer; got ${steps}`);
  if (!(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) throw new Error(`${where}: options.lr (learning rate) must be a positive number; got ${lr}`);
  if (!Number.isInteger(seed)) throw new Error(`${where}: options.seed must be an integer; got ${seed}`);
  for (const s of snapshots) if (!Number.isInteger(s) || s < 1 || s > steps) throw new Error(`${where}: options.snapshots must be steps in 1..${steps}; got ${s}`);
  if (!Array.isArray(transforms) || transforms.some((t) => !t || typeof t.apply !== 'function')) throw new Error(`${where}: options.transforms must be an array of transforms (pad, jitter, randomAffine, …)`);
  const n = options.batch ?? objective.batch ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where}: options.batch must be a positive integer; got ${n}`);
  if (objective.batch !== undefined && objective.batch !== n) throw new Error(`${where}: options.batch is ${n} but the objective ${objective.name} is for ${objective.batch} images`);
  const yos = options.yosinski === true ? YOSINSKI_DEFAULTS : options.yosinski || undefined;
  if (yos) checkYosinski(where, yos);
  const param = options.param ?? pixels();
  if (!param || typeof param.create !== 'function') throw new Error(`${where}: options.param must be a parameterization (pixels(), fourier(), latent(generator))`);

  const runner = objectiveRunner(where, model, objective, n);
  const [h, w, c] = runner.inputShape;
  const state = param.create([n, h, w, c], seed);
  if (yos && !state.pixelVariable) {
    state.dispose();
    throw new Error(`${where}: options.yosinski works on pixels (bound 'clip' or 'none'); the parameterization is ${state.kind}`);
  }
  const rnd = seededRandom(seed + 1);
  const opt = adam(lr);
  const want = new Set(snapshots);
  const kept: { step: number; images: tf.Tensor4D }[] = [];
  const history: Float32Array[] = [];
  const bar = progress({ total: steps, label, enabled: !quiet });
  const t0 = Date.now();
  let lastGood: tf.Tensor4D | undefined;
  let stopped: string | undefined;
  let done = 0;
  try {
    for (let step = 1; step <= steps; step++) {
      await pollInterrupt('render');
      let perImage: tf.Tensor | undefined;
      let image: tf.Tensor4D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const img = state.image();
        image = tf.keep(img.clone());
        let x = img;
        for (const t of transforms) x = t.apply(x, rnd);
        x = fitTo(x, h, w);
        const v = runner.values(x, img);
        perImage = tf.keep(v.clone());
        const loss = tf.neg(v.sum());
        return (state.penalty ? tf.add(loss, state.penalty().sum()) : loss) as tf.Scalar;
      }, state.variables);
      value.dispose();
      const vals = (perImage as tf.Tensor).dataSync() as Float32Array;
      (perImage as tf.Tensor).dispose();
      if (!vals.every(Number.isFinite)) {
        tf.dispose([image as tf.Tensor, ...Object.values(grads)]);
        stopped = `${where}: the objective became ${vals.some(Number.isNaN) ? 'NaN' : 'infinite'} at step ${step} of ${steps}; returning the images of step ${step - 1}`;
        break;
      }
      lastGood?.dispose();
      lastGood = image as tf.Tensor4D;
      opt.applyGradients(grads);
      if (yos && state.pixelVariable) applyYosinski(state.pixelVariable, grads[state.pixelVariable.name], step, yos);
      state.afterStep?.();
      tf.dispose(Object.values(grads));
      history.push(Float32Array.from(vals));
      done = step;
      if (want.has(step)) kept.push({ step, images: tf.tidy(() => state.image().clone()) });
      let total = 0;
      for (const v of vals) total += v;
      bar.tick({ objective: total / n });
      if (step % 32 === 0) await new Promise((r) => setImmediate(r));
    }
    const images = stopped ? (lastGood ?? tf.tidy(() => state.image().clone())) : tf.tidy(() => state.image().clone());
    if (!stopped) lastGood?.dispose();
    lastGood = undefined;
    const values = tf.tidy(() => runner.values(images, images));
    const finalValues = Float32Array.from(values.dataSync());
    values.dispose();
    const activations = tf.tidy(() => runner.layers(images));
    bar.done(stopped ? { stopped: `NaN at step ${done + 1}` } : { objective: finalValues.reduce((a, b) => a + b, 0) / n });
    if (stopped) console.warn(stopped);
    const result: RenderResult = {
      images,
      snapshots: kept,
      history,
      values: finalValues,
      activations,
      steps: done,
      stopped,
      objective: objective.name,
      param: state.kind,
      ms: Date.now() - t0,
      dispose() {
        tf.dispose([result.images, ...result.snapshots.map((k) => k.images), ...Object.values(result.activations)]);
      },
    };
    return result;
  } catch (e) {
    tf.dispose([...kept.map((k) => k.images), ...(lastGood ? [lastGood] : [])]);
    throw e;
  } finally {
    opt.dispose();
    state.dispose();
  }
}
