/**
 * One sub-model per render that computes everything an objective reads: the layers it names and,
 * for class objectives, the model's output with its softmax stripped (the logit), in one forward
 * pass — `tf.model({ inputs: model.inputs, outputs: [the needed layer outputs] })`, which works for
 * sequential and functional models alike.
 *
 * @example
 * ```ts
 * const runner = objectiveRunner('render', model, channel('conv2', 5), 1);
 * const v = tf.tidy(() => runner.values(images, images));   // [n]
 * ```
 */
import { tf } from '../../engine/tf';
import { explainedModel } from '../core/explainedModel';
import type { ClassScore, ModelShapes, Objective, ObjectiveContext } from './objective';

/** An objective ready to be computed on a model. */
export interface ObjectiveRunner {
  /** The model's input shape [h, w, c]. */
  readonly inputShape: [number, number, number];
  /** The model as objectives see it. */
  readonly shapes: ModelShapes;
  /** Per-image objective values [n] for model input `input` and parameterized `image` (inside a tidy). */
  values(input: tf.Tensor4D, image: tf.Tensor4D): tf.Tensor1D;
  /** The outputs of the layers the objective reads, for `input` (inside a tidy). */
  layers(input: tf.Tensor4D): Record<string, tf.Tensor>;
}

/** The shapes of a model's layers, for objective checks and error messages. */
export function modelShapes(model: tf.LayersModel): ModelShapes {
  const byName = new Map(model.layers.map((l) => [l.name, l.outputShape as (number | null)[]]));
  const out = model.outputs[0].shape;
  return { layers: model.layers.map((l) => l.name), shapeOf: (name) => byName.get(name), classes: (out[out.length - 1] as number) ?? 1 };
}

/** Checks `objective` against `model` for a batch of `n` and builds the sub-model that computes it. */
export function objectiveRunner(where: string, model: tf.LayersModel, objective: Objective, n: number): ObjectiveRunner {
  if (!(model instanceof tf.LayersModel)) throw new Error(`${where}: model must be a tf.LayersModel (feature visualization reads its layers)`);
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new Error(`${where}: model must have one input and one output; it has ${model.inputs.length} and ${model.outputs.length}`);
  const inShape = model.inputs[0].shape;
  if (inShape.length !== 4 || inShape.slice(1).some((d) => typeof d !== 'number')) throw new Error(`${where}: model must take images [n, h, w, c]; its input is [${inShape.map((d) => d ?? 'n')}]`);
  const inputShape = inShape.slice(1) as [number, number, number];
  const shapes = modelShapes(model);
  objective.check(shapes, n);
  const names = objective.needs.layers;
  const outputs: tf.SymbolicTensor[] = names.map((name) => model.getLayer(name).output as tf.SymbolicTensor);
  let classIndex = -1;
  let within = <T>(body: () => T): T => body();
  let stripped: 'softmax' | 'sigmoid' | undefined;
  if (objective.needs.classes) {
    const probe = tf.zeros([1, ...inputShape]);
    try {
      // the output layer runs without its softmax/sigmoid: class objectives read the logit, and the probability from it
      const m = explainedModel(where, model, probe, { explain: 'logit' });
      within = m.within.bind(m);
      stripped = m.stripped;
    } finally {
      probe.dispose();
    }
    classIndex = outputs.indexOf(model.outputs[0]);
    if (classIndex < 0) {
      outputs.push(model.outputs[0]);
      classIndex = outputs.length - 1;
    }
  }
  const sub = tf.model({ inputs: model.inputs, outputs });
  const run = (input: tf.Tensor4D): tf.Tensor[] => {
    const r = within(() => sub.apply(input, { training: false }));
    return Array.isArray(r) ? (r as tf.Tensor[]) : [r as tf.Tensor];
  };
  return {
    inputShape,
    shapes,
    values(input, image) {
      const outs = outputs.length > 0 ? run(input) : [];
      const ctx: ObjectiveContext = {
        image,
        input,
        layer: (name) => {
          const i = names.indexOf(name);
          if (i < 0) throw new Error(`${where}: objective read layer '${name}' that it did not declare`);
          return outs[i];
        },
        classScores: (score: ClassScore) => {
          if (classIndex < 0) throw new Error(`${where}: objective read class scores that it did not declare`);
          const y = outs[classIndex] as tf.Tensor2D;
          if (score === 'logit') return y;
          if (score === 'logProbability') return stripped === 'softmax' ? (tf.logSoftmax(y) as tf.Tensor2D) : stripped === 'sigmoid' ? (tf.logSigmoid(y) as tf.Tensor2D) : (tf.log(y) as tf.Tensor2D);
          // the probability: the stripped activation applied again (a model without one is read as it is)
          return stripped === 'softmax' ? (tf.softmax(y) as tf.Tensor2D) : stripped === 'sigmoid' ? (tf.sigmoid(y) as tf.Tensor2D) : y;
        },
      };
      const v = objective.compute(ctx);
      if (v.rank !== 1 || v.shape[0] !== input.shape[0]) throw new Error(`${where}: objective ${objective.name} must give one value per image; it gave shape [${v.shape}]`);
      return v;
    },
    layers(input) {
      const outs = names.length > 0 ? run(input) : [];
      return Object.fromEntries(names.map((name, i) => [name, outs[i]]));
    },
  };
}
