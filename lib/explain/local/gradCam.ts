/**
 * Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via
 * Gradient-based Localization"): weigh each feature map Aᵏ of a convolutional layer by the mean
 * gradient of the target score over it, αₖ = mean_ij ∂y/∂Aᵏᵢⱼ, and keep the positive part of
 * Σₖ αₖ Aᵏ, upsampled (bilinear) to the input size.
 *
 * The model must be a tf.LayersModel whose layers form a chain (every tf.sequential model does):
 * the layers up to `layer` give A, the layers after it give the scores.
 *
 * @example
 * ```ts
 * const a = gradCam(model, images, { target: 3, layer: 'conv2' });   // values [n, 28, 28, 1]
 * a.dispose();
 * ```
 */
import { tf } from '../../engine/tf';
import { type Attribution, createAttribution, type Target } from './attribution';
import { explainedModel, targetScore } from './scores';

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
}

type Layer = tf.layers.Layer;

/** The model's layers in order, checking that each one takes the output of the one before. */
function layerChain(where: string, model: tf.LayersModel): Layer[] {
  const chain = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  chain.forEach((l, i) => {
    const nodes = (l as unknown as { inboundNodes: { inboundLayers: Layer[] }[] }).inboundNodes;
    const from = nodes.length === 1 ? nodes[0].inboundLayers : [];
    const ok = from.length === 1 && (i === 0 ? from[0].getClassName() === 'InputLayer' : from[0] === chain[i - 1]);
    if (!ok) throw new Error(`${where}: model must be a chain of layers (like tf.sequential); layer '${l.name}' does not simply take the output of the layer before it`);
  });
  return chain;
}

/** Runs `layers` one after the other. */
function applyAll(layers: Layer[], x: tf.Tensor): tf.Tensor {
  return layers.reduce((t, l) => l.apply(t, { training: false }) as tf.Tensor, x);
}

/**
 * Grad-CAM of the target class at a named convolutional layer (see the module example).
 *
 * @returns an {@link Attribution} with `values` [n, H, W, 1] (or [n, h, w, 1] without upsampling)
 *   and `extras.layer` (the layer used) and `extras.mapSize` ([h, w] of its feature maps).
 */
export function gradCam(model: tf.LayersModel, inputs: tf.Tensor, options: GradCamOptions = {}): Attribution {
  const where = 'gradCam';
  const { relu = true, upsample = true } = options;
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: model must be a tf.LayersModel (Grad-CAM reads a named layer)`);
  const m = explainedModel(where, model, inputs, options.target, { ranks: [4], expected: 'images [n, height, width, channels]' });
  const chain = layerChain(where, model);
  const names = chain.map((l) => l.name);
  const isMap = (l: Layer) => {
    const s = l.outputShape;
    return Array.isArray(s) && s.length === 4 && typeof s[1] === 'number';
  };
  const byDepth = [...chain].reverse();
  const layerName = options.layer ?? (byDepth.find((l) => isMap(l) && /Conv/.test(l.getClassName())) ?? byDepth.find(isMap))?.name;
  if (layerName === undefined) throw new Error(`${where}: the model has no layer with feature maps [n, h, w, c]; layers: ${names.join(', ')}`);
  const at = names.indexOf(layerName);
  if (at < 0) throw new Error(`${where}: options.layer '${layerName}' does not exist; the model's layers are: ${names.join(', ')}`);
  if (!isMap(chain[at])) {
    throw new Error(`${where}: options.layer '${layerName}' must output feature maps [n, h, w, c]; its output shape is [${String(chain[at].outputShape)}]`);
  }
  const head = chain.slice(0, at + 1);
  const tail = chain.slice(at + 1);
  const [, h, w] = inputs.shape;
  const maps = tf.tidy(() => {
    const a = applyAll(head, inputs);
    const g = tf.grad((z: tf.Tensor) => targetScore(applyAll(tail, z) as tf.Tensor2D, m.target).sum())(a);
    const alpha = g.mean([1, 2], true);
    const cam = tf.sum(tf.mul(alpha, a), -1, true);
    return relu ? tf.relu(cam) : cam;
  }) as tf.Tensor4D;
  const mapSize = [maps.shape[1], maps.shape[2]];
  const values = upsample ? tf.tidy(() => tf.image.resizeBilinear(maps, [h, w])) : maps;
  if (upsample) maps.dispose();
  return createAttribution('gradCam', values, m.target, { layer: layerName, relu, upsample }, { layer: layerName, mapSize });
}
