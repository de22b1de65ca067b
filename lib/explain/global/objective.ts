/**
 * The objective of feature visualization: a value per image of a batch, computed from what the
 * model sees, that gradient ascent makes large (Erhan et al. 2009; Olah, Mordvintsev & Schubert
 * 2017, "Feature Visualization"; Lucid/Lucent's `objectives`). Objectives compose: `a.plus(b)`,
 * `a.minus(b)`, `a.times(2)`, `a.times(b)` (per image), so the lecture's X* = argmax Σᵢⱼ aᵢⱼ + R(X)
 * reads `channel('conv2', 5).minus(l1(0.05))`.
 *
 * @example
 * ```ts
 * const obj = channel('conv2', 5).minus(l1(0.05));
 * obj.name;                       // 'channel(conv2, 5) − 0.05·l1'
 * ```
 */
import { tf } from '../../engine/tf';

/** What a model shows an objective on one step: the image, the model's input, activations. */
export interface ObjectiveContext {
  /** The parameterized image [n, h, w, c] before transforms (penalties such as L1 read this). */
  readonly image: tf.Tensor4D;
  /** What the model saw: the image after transforms [n, h, w, c]. */
  readonly input: tf.Tensor4D;
  /** Output of the named layer for `input` (differentiable). */
  layer(name: string): tf.Tensor;
  /** Class scores [n, classes]: the logit (the output layer's softmax/sigmoid stripped), the probability or its log. */
  classScores(score: ClassScore): tf.Tensor2D;
}

/**
 * A class objective's score: the logit (before softmax), the probability, or the log-probability
 * log p = logit − logsumexp(logits) (its gradient 1 − p fades once the class is certain; the logit's
 * never does).
 */
export type ClassScore = 'logit' | 'probability' | 'logProbability';

/** The model as objectives see it when they are checked: layer names and output shapes. */
export interface ModelShapes {
  /** Layer names in order. */
  readonly layers: string[];
  /** Output shape of a layer ([null, h, w, c] …), undefined if there is no such layer. */
  shapeOf(layer: string): (number | null)[] | undefined;
  /** Number of classes of the model's output. */
  readonly classes: number;
}

/** What an objective needs from the model, so that one sub-model computes it all. */
export interface ObjectiveNeeds {
  /** Layer outputs read through `ctx.layer`. */
  layers: string[];
  /** Whether `ctx.classScores` is read. */
  classes: boolean;
}

/** A per-image objective that composes (see the module example). */
export class Objective {
  /**
   * @param name    how it prints (`channel(conv2, 5)`)
   * @param compute one value per image [n] (differentiable)
   * @param needs   layers and class scores it reads
   * @param check   throws when the model does not have what it names (layer, channel range); given the model's shapes and the batch size
   * @param batch   the batch size it implies (a channel per image), if any
   */
  constructor(
    readonly name: string,
    readonly compute: (ctx: ObjectiveContext) => tf.Tensor1D,
    readonly needs: ObjectiveNeeds = { layers: [], classes: false },
    readonly check: (model: ModelShapes, n: number) => void = () => undefined,
    readonly batch?: number,
  ) {}

  /** This objective plus another (or a constant). */
  plus(other: Objective | number): Objective {
    return combine(this, other, '+', (a, b) => tf.add(a, b));
  }

  /** This objective minus another (or a constant): `channel('conv2', 5).minus(l1(0.05))`. */
  minus(other: Objective | number): Objective {
    return combine(this, other, '−', (a, b) => tf.sub(a, b));
  }

  /** This objective times a number, or times another objective image by image. */
  times(other: Objective | number): Objective {
    return combine(this, other, '·', (a, b) => tf.mul(a, b));
  }

  /** The objective with its sign flipped (minimize instead of maximize). */
  neg(): Objective {
    return this.times(-1);
  }
}

function isObjective(v: unknown): v is Objective {
  return v instanceof Objective;
}

function combine(a: Objective, b: Objective | number, op: string, f: (x: tf.Tensor, y: tf.Tensor | number) => tf.Tensor): Objective {
  if (typeof b === 'number') {
    if (!Number.isFinite(b)) throw new Error(`Objective.${opName(op)}: the number must be finite; got ${b}`);
    const name = op === '·' ? `${fmt(b)}·(${a.name})` : `${a.name} ${op} ${fmt(b)}`;
    return new Objective(name, (ctx) => f(a.compute(ctx), b) as tf.Tensor1D, a.needs, a.check, a.batch);
  }
  if (!isObjective(b)) throw new Error(`Objective.${opName(op)}: expected an Objective or a number; got ${typeof b}`);
  if (a.batch !== undefined && b.batch !== undefined && a.batch !== b.batch) {
    throw new Error(`Objective.${opName(op)}: ${a.name} is for a batch of ${a.batch} images but ${b.name} for ${b.batch}`);
  }
  const needs = { layers: [...new Set([...a.needs.layers, ...b.needs.layers])], classes: a.needs.classes || b.needs.classes };
  const name = op === '·' ? `(${a.name})·(${b.name})` : `${a.name} ${op} ${b.name}`;
  return new Objective(
    name,
    (ctx) => f(a.compute(ctx), b.compute(ctx)) as tf.Tensor1D,
    needs,
    (m, n) => {
      a.check(m, n);
      b.check(m, n);
    },
    a.batch ?? b.batch,
  );
}

function opName(op: string): string {
  return op === '+' ? 'plus' : op === '−' ? 'minus' : 'times';
}

/** A number as objective names print it. */
export function fmt(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}
