/**
 * Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via
 * Gradient-based Localization", ICCV): weigh each feature map Aᵏ of a convolutional layer by the
 * mean gradient of the target score over it, αₖ = mean_ij ∂y/∂Aᵏᵢⱼ, and keep the positive part of
 * Σₖ αₖ Aᵏ, upsampled (bilinear) to the input size.
 *
 * The model is any tf.LayersModel with one input and one output: a chain (tf.sequential) or a
 * graph with branches and skip connections (`tf.model({inputs, outputs})`, ResNet/MobileNet
 * style). ∂y/∂A flows through every path from the layer to the output; paths that bypass the layer
 * add nothing to it. The layer must be applied once in the model (not a shared layer).
 *
 * @example
 * ```ts
 * const a = gradCam(model, images, { target: 3, layer: 'conv2' });   // values [n, 28, 28, 1]
 * a.dispose();
 * // a functional model with a skip connection: y = dense(gap(add(conv(A), A)))
 * const b = gradCam(resnetLike, images, { layer: 'A' });               // ∂y/∂A through both paths
 * b.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type Target } from '../core/attribution';
import { checkSingleInputOutput, layerNames, splitAtLayer } from '../../models/graph/layerSplit';
import { explainedModel, type ExplainScore, targetScore } from '../core/explainedModel';

/** Options of {@link gradCam}. */
export interface GradCamOptions {
  /** Class index, or one per example; default: the predicted class. */
  target?: Target;
  /** Name of the convolutional layer; default: the last conv layer (else the last layer whose output is [n, h, w, c]). */
  layer?: string;
  /** Keep only the positive part (default true, as in the paper). */
  relu?: boolean;
  /** Resize the map to the input's height and width (default true). */
  upsample?: boolean;
  /** Explain the `logit` (default for a model ending in softmax/sigmoid) or the `probability`. */
  explain?: ExplainScore;
}

type Layer = tf.layers.Layer;

/** Whether the layer outputs feature maps [n, h, w, c] (false when its output shape is unknown or several). */
function isMap(l: Layer): boolean {
  let s: unknown;
  try {
    s = l.outputShape;
  } catch {
    return false;
  }
  return Array.isArray(s) && s.length === 4 && typeof s[1] === 'number';
}

/** Method-specific results of {@link gradCam}. */
export interface GradCamExtras {
  /** The layer used. */
  layer: string;
  /** [h, w] of its feature maps. */
  mapSize: number[];
}

/**
 * Grad-CAM of the target class at a named convolutional layer (see the module example).
 *
 * @returns an {@link Attribution} with `values` [n, H, W, 1] (or [n, h, w, 1] without upsampling)
 *   and `extras.layer` (the layer used) and `extras.mapSize` ([h, w] of its feature maps).
 */
export function gradCam(model: tf.LayersModel, inputs: tf.Tensor, options: GradCamOptions = {}): Attribution<GradCamExtras> {
  const where = 'gradCam';
  const { relu = true, upsample = true } = options;
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: model must be a tf.LayersModel (Grad-CAM reads a named layer)`);
  checkSingleInputOutput(where, model);
  const m = explainedModel(where, model, inputs, { target: options.target, explain: options.explain, rule: { ranks: [4], expected: 'images [n, height, width, channels]' } });
  const byDepth = model.layers.filter((l) => l.getClassName() !== 'InputLayer').reverse();
  const layerName = options.layer ?? (byDepth.find((l) => isMap(l) && /Conv/.test(l.getClassName())) ?? byDepth.find(isMap))?.name;
  if (layerName === undefined) throw new Error(`${where}: the model has no layer with feature maps [n, h, w, c]; layers: ${layerNames(model).join(', ')}`);
  const split = splitAtLayer(where, model, layerName);
  const s = split.shape;
  if (!(s.length === 4 && typeof s[1] === 'number')) {
    throw new Error(`${where}: options.layer '${layerName}' must output feature maps [n, h, w, c]; its output shape is [${String(s)}]`);
  }
  const [, h, w] = inputs.shape;
  const maps = m.within(() => tf.tidy(() => {
    const run = split.run(inputs);
    const a = run.activation;
    const scores = (z: tf.Tensor) => {
      const y = run.outputFrom(z);
      return targetScore((y.rank === 1 ? y.reshape([-1, 1]) : y) as tf.Tensor2D, m.target).sum();
    };
    const g = tf.grad(scores)(a);
    const alpha = g.mean([1, 2], true);
    const cam = tf.sum(tf.mul(alpha, a), -1, true);
    return relu ? tf.relu(cam) : cam;
  })) as tf.Tensor4D;
  const mapSize = [maps.shape[1], maps.shape[2]];
  const values = upsample ? tf.tidy(() => tf.image.resizeBilinear(maps, [h, w])) : maps;
  if (upsample) maps.dispose();
  const score = m.scores(inputs, m.target);
  return createAttribution({ method: 'gradCam', values, target: m.target, explained: m.explained, score, options: { layer: layerName, relu, upsample }, extras: { layer: layerName, mapSize } });
}
