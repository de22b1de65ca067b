/**
 * Activation capture: the outputs of any named layers of any tf.LayersModel — sequential,
 * functional with branches and skip connections, or with nested models — in one forward pass per
 * batch. The graph is run the way tfjs-layers' executor runs it (symbolic tensors in topological
 * order, each layer applied to its inbound values), so every requested layer is read from the same
 * pass. A layer inside a nested model is named by its path, `'outer/inner'`.
 *
 * The results are plain `Float32Array`s with their shapes, owned by the caller: no tensor outlives
 * the call, and memory on the engine is bounded by one batch. This is the "take a layer's vectors,
 * project to 2-D" step of the lecture's visualization of internals (Mohamed, Hinton & Penn 2012;
 * van der Maaten & Hinton 2008).
 *
 * @example
 * ```ts
 * const acts = activations(model, images, ['conv1', 'dense']);
 * acts.conv1.shape; // [n, 26, 26, 16]; acts.conv1.data is a Float32Array of n·26·26·16 values
 * ```
 */
import { tf } from '../../engine/tf';
import { checkInteger } from '../../checks';
import { checkSingleInputOutput, layerNames } from './layerSplit';
import { topologicalOrder } from './topology';

type Symbolic = tf.SymbolicTensor;

/** One layer's outputs for every input: row-major `data` of shape `shape` ([n, ...layer shape]). */
export interface LayerActivation {
  /** The layer's name (a path `outer/inner` for a layer of a nested model). */
  readonly layer: string;
  /** [examples, ...the layer's output shape]. */
  readonly shape: number[];
  /** The values, row-major; one row of `shape[1..]` values per example. */
  readonly data: Float32Array;
}

/** Options of {@link activations}. */
export interface ActivationsOptions {
  /** Examples per forward pass (default 256): bounds the memory used on the engine. */
  batchSize?: number;
}

interface LayerCall {
  inputTensors: Symbolic[];
  outputTensors: Symbolic[];
}

/** What to evaluate in one (possibly nested) model: its graph order, wanted tensors, nested plans. */
interface Plan {
  model: tf.LayersModel;
  order: Symbolic[];
  wanted: Map<string, Symbolic>;
  nested: Map<string, Plan>;
}

const callOf = (t: Symbolic) => t.sourceLayer.inboundNodes[t.nodeIndex] as unknown as LayerCall;

const isModel = (l: tf.layers.Layer): l is tf.LayersModel => l instanceof tf.LayersModel;

/** Every layer path of `model`, nested models expanded (`outer`, `outer/inner`, …). */
function allPaths(model: tf.LayersModel, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of layerNames(model)) {
    out.push(prefix + name);
    const l = model.getLayer(name);
    if (isModel(l)) out.push(...allPaths(l, `${prefix}${name}/`));
  }
  return out;
}

function makePlan(where: string, model: tf.LayersModel, paths: string[], prefix: string, known: () => string[]): Plan {
  const all = topologicalOrder(model.outputs);
  const wanted = new Map<string, Symbolic>();
  const nestedPaths = new Map<string, string[]>();
  for (const path of paths) {
    const local = path.slice(prefix.length);
    const slash = local.indexOf('/');
    const head = slash < 0 ? local : local.slice(0, slash);
    const at = all.filter((t) => t.sourceLayer.name === head);
    if (at.length === 0) throw new Error(`${where}: layer '${path}' does not exist; the model's layers are: ${known().join(', ')}`);
    if (new Set(at.map((t) => t.nodeIndex)).size > 1) throw new Error(`${where}: layer '${prefix}${head}' is applied more than once in the model (a shared layer); its activation is ambiguous`);
    if (slash < 0) {
      if (at.length > 1) throw new Error(`${where}: layer '${path}' has ${at.length} outputs; choose a layer with one output`);
      if (model.inputs.includes(at[0])) throw new Error(`${where}: layer '${path}' is the model's input; pass the inputs themselves instead`);
      wanted.set(path, at[0]);
    } else {
      if (!isModel(at[0].sourceLayer)) throw new Error(`${where}: layer '${prefix}${head}' is not a nested model, so '${path}' does not exist; the model's layers are: ${known().join(', ')}`);
      nestedPaths.set(head, [...(nestedPaths.get(head) ?? []), path]);
    }
  }
  const nested = new Map<string, Plan>();
  for (const [head, ps] of nestedPaths) nested.set(head, makePlan(where, model.getLayer(head) as tf.LayersModel, ps, `${prefix}${head}/`, known));
  const fetches = [...wanted.values(), ...all.filter((t) => nested.has(t.sourceLayer.name))];
  return { model, order: topologicalOrder(fetches), wanted, nested };
}

/** Runs `plan` on `inputs` (one value per model input); records wanted values in `out`; returns the model's outputs. */
function run(plan: Plan, inputs: tf.Tensor[], out: Map<string, tf.Tensor>, full: boolean): tf.Tensor[] {
  const values = new Map<number, tf.Tensor>();
  plan.model.inputs.forEach((s, i) => values.set(s.id, inputs[i]));
  const order = full ? topologicalOrder(plan.model.outputs) : plan.order;
  for (const t of order) {
    if (values.has(t.id)) continue;
    const call = callOf(t);
    const ins = call.inputTensors.map((s) => values.get(s.id) as tf.Tensor);
    const sub = plan.nested.get(t.sourceLayer.name);
    const res = sub ? run(sub, ins, out, true) : t.sourceLayer.apply(ins.length === 1 ? ins[0] : ins, { training: false });
    const outs = (Array.isArray(res) ? res : [res]) as tf.Tensor[];
    call.outputTensors.forEach((s, i) => values.set(s.id, outs[i]));
  }
  for (const [path, s] of plan.wanted) out.set(path, values.get(s.id) as tf.Tensor);
  return plan.model.outputs.map((s) => values.get(s.id) as tf.Tensor);
}

/**
 * The outputs of the layers named in `layers` for every example of `inputs`, computed in batches
 * of `options.batchSize` with one forward pass per batch (in inference mode: dropout off,
 * batch-norm with its moving statistics). Layers of nested models are named `outer/inner`.
 * Throws, listing the model's layers, when a name does not exist.
 *
 * @param model a single-input tf.LayersModel (sequential or functional).
 * @param inputs a batch [n, ...input shape].
 * @param layers layer names (or paths into nested models).
 * @returns one {@link LayerActivation} per name, keyed by it; plain arrays, nothing to dispose.
 * @example
 * ```ts
 * const { conv2, dense } = activations(model, images, ['conv2', 'dense'], { batchSize: 500 });
 * const xy = pca(conv2, { components: 2 }).points;
 * ```
 */
export function activations(model: tf.LayersModel, inputs: tf.Tensor, layers: readonly string[], options: ActivationsOptions = {}): Record<string, LayerActivation> {
  const where = 'activations';
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: model must be a tf.LayersModel (sequential or functional); got ${model === null ? 'null' : typeof model}`);
  checkSingleInputOutput(where, model);
  if (!(inputs instanceof tf.Tensor) || inputs.isDisposed) throw new Error(`${where}: inputs must be a live tf.Tensor batch [n, ...]; got ${inputs instanceof tf.Tensor ? 'a disposed tensor' : typeof inputs}`);
  const expected = model.inputs[0].shape;
  if (inputs.rank !== expected.length || expected.some((d, i) => i > 0 && d !== null && d !== inputs.shape[i])) {
    throw new Error(`${where}: inputs have shape [${inputs.shape.join(', ')}]; the model expects [${expected.map((d) => d ?? 'n').join(', ')}]`);
  }
  if (!Array.isArray(layers) || layers.length === 0 || layers.some((l) => typeof l !== 'string')) {
    throw new Error(`${where}: layers must be a non-empty array of layer names; the model's layers are: ${allPaths(model).join(', ')}`);
  }
  const batchSize = checkInteger(where, 'options.batchSize', options.batchSize ?? 256, 1);
  const names = [...new Set(layers)];
  const plan = makePlan(where, model, names, '', () => allPaths(model));
  const n = inputs.shape[0];
  const result: Record<string, LayerActivation> = {};
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    tf.tidy(() => {
      const x = inputs.slice(start, size);
      const out = new Map<string, tf.Tensor>();
      run(plan, [x], out, false);
      for (const name of names) {
        const v = out.get(name) as tf.Tensor;
        if (!result[name]) {
          const shape = [n, ...v.shape.slice(1)];
          result[name] = { layer: name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
        }
        const r = result[name];
        const row = r.data.length / n;
        r.data.set(v.dataSync() as Float32Array, start * row);
      }
    });
  }
  return result;
}
