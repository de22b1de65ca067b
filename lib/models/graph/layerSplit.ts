/**
 * A tf.LayersModel seen from one of its layers: the activations A of that layer, and the model's
 * output as a function of A (every other tensor of the graph held at its value for the inputs).
 * Works for any graph of layers with one input and one output — chains (tf.sequential), branches,
 * skip connections (ResNet-style adds), concatenations — the way tfjs-layers' own executor runs a
 * functional model: symbolic tensors in topological order, each layer applied to the values of its
 * inbound tensors. Paths to the output that do not pass through the layer are computed from the
 * inputs, so they carry no gradient with respect to A — as ∂y/∂A requires (Grad-CAM, Selvaraju et
 * al. 2017).
 *
 * @example
 * ```ts
 * const split = splitAtLayer('gradCam', model, 'conv2');
 * const g = tf.tidy(() => { const run = split.run(images); return tf.grad((a) => run.outputFrom(a).sum())(run.activation); });
 * ```
 */
import { tf } from '../../engine/tf';
import { topologicalOrder } from './topology';

type Layer = tf.layers.Layer;
type Symbolic = tf.SymbolicTensor;
/** The part of a tfjs-layers Node (one call of a layer) read here. */
interface LayerCall {
  inputTensors: Symbolic[];
  outputTensors: Symbolic[];
}

/** One forward pass of the model on a batch, split at the layer. */
export interface SplitRun {
  /** The layer's output A for the batch. */
  readonly activation: tf.Tensor;
  /** The model's output with `a` in place of A (differentiable in `a`). */
  outputFrom(a: tf.Tensor): tf.Tensor;
}

/** A model split at one layer; {@link SplitRun}s must be made and used inside a `tf.tidy`. */
export interface LayerSplit {
  /** The layer's output shape, e.g. [null, h, w, c]. */
  readonly shape: (number | null)[];
  run(x: tf.Tensor): SplitRun;
}

function callOf(t: Symbolic): LayerCall {
  return t.sourceLayer.inboundNodes[t.nodeIndex] as unknown as LayerCall;
}

/** Values of symbolic tensors by id; evaluates `order` (skipping known ones) from the input value. */
function evaluate(order: Symbolic[], values: Map<number, tf.Tensor>): void {
  for (const t of order) {
    if (values.has(t.id)) continue;
    const call = callOf(t);
    const inputs = call.inputTensors.map((s) => values.get(s.id) as tf.Tensor);
    const out = t.sourceLayer.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false });
    const outs = Array.isArray(out) ? out : [out];
    call.outputTensors.forEach((s, i) => values.set(s.id, outs[i] as tf.Tensor));
  }
}

/**
 * Splits a single-input, single-output `model` at the layer named `layerName`.
 * Throws (prefixed by `where`) when the model has several inputs or outputs, when the layer does not
 * exist, or when it is applied more than once in the model (its A would be ambiguous).
 */
export function splitAtLayer(where: string, model: tf.LayersModel, layerName: string): LayerSplit {
  checkSingleInputOutput(where, model);
  const [input] = model.inputs;
  const [output] = model.outputs;
  const order = topologicalOrder([output]);
  const atLayer = order.filter((t) => t.sourceLayer.name === layerName);
  if (atLayer.length === 0) throw new Error(`${where}: options.layer '${layerName}' does not exist; the model's layers are: ${layerNames(model).join(', ')}`);
  const calls = new Set(atLayer.map((t) => t.nodeIndex)).size;
  if (calls > 1) throw new Error(`${where}: options.layer '${layerName}' is applied ${calls} times in the model (a shared layer); choose a layer applied once`);
  if (atLayer.length > 1) throw new Error(`${where}: options.layer '${layerName}' has ${atLayer.length} outputs; choose a layer with one output`);
  const [a] = atLayer;
  if (a === input) throw new Error(`${where}: options.layer '${layerName}' is the model's input layer; choose a layer inside the model`);
  const upToA = topologicalOrder([a]);
  return {
    shape: a.shape,
    run(x: tf.Tensor): SplitRun {
      const known = new Map<number, tf.Tensor>([[input.id, x]]);
      evaluate(upToA, known);
      const activation = known.get(a.id) as tf.Tensor;
      return {
        activation,
        outputFrom(z: tf.Tensor): tf.Tensor {
          const values = new Map(known);
          values.set(a.id, z);
          evaluate(order, values);
          return values.get(output.id) as tf.Tensor;
        },
      };
    },
  };
}

/** Names of the model's layers (without its input layer), in the model's order. */
export function layerNames(model: tf.LayersModel): string[] {
  return model.layers.filter((l: Layer) => l.getClassName() !== 'InputLayer').map((l) => l.name);
}

/** Throws unless `model` has exactly one input and one output. */
export function checkSingleInputOutput(where: string, model: tf.LayersModel): void {
  const count = (what: string, ts: Symbolic[]) => {
    if (ts.length !== 1) {
      throw new Error(`${where}: model must have exactly one ${what} (one batch of images in, one tensor of scores out); it has ${ts.length} ${what}s: ${ts.map((t) => t.name).join(', ')}`);
    }
  };
  count('input', model.inputs);
  count('output', model.outputs);
}
