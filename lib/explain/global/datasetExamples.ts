/**
 * Dataset examples (Olah, Mordvintsev & Schubert 2017, "Feature Visualization": X* and the real
 * images that activate a unit most belong side by side, because each alone misleads; Zeiler & Fergus
 * 2014 show receptive-field patches). For every channel of a layer — or every class logit — the
 * `top` images of a set that activate it most, with the value, the position of the strongest
 * response, and the patch of the input that position sees ({@link receptiveField}).
 *
 * @example
 * ```ts
 * const ex = datasetExamples(model, digits.images, { layer: 'conv2', top: 6 });
 * ex.indices[5];      // the 6 digits that activate filter 5 most, best first
 * const patches = examplePatches(model, digits.images, ex, 5);   // [6, r, r, 1]
 * ```
 */
import { tf } from '../../engine/tf';
import { checkLayer } from './objectives';
import { classScore } from './objectives';
import { objectiveRunner, modelShapes } from './capture';
import type { MapReduce } from './objectives';

/** Options of {@link datasetExamples}. */
export interface DatasetExamplesOptions {
  /** A layer: one ranking per channel. Leave out for one ranking per class (the logit). */
  layer?: string;
  /** Images kept per unit; default 9. */
  top?: number;
  /** How a channel's map is summed up: `sum` (default, as `channel`), `mean`, or `max` (the strongest position). */
  reduce?: MapReduce | 'max';
  /** Images per forward pass; default 256. */
  batchSize?: number;
}

/** What {@link datasetExamples} returns (plain numbers: nothing to dispose). */
export interface DatasetExamples {
  /** The layer ranked, or 'class'. */
  layer: string;
  /** Per unit, the indices of the top images, best first. */
  indices: number[][];
  /** Per unit, their values (the same reduction the objective uses). */
  values: number[][];
  /** Per unit, the [y, x] of the strongest response in each top image's feature map (conv layers). */
  positions: [number, number][][];
  /** The reduction used. */
  reduce: MapReduce | 'max';
}

/** The top images of `images` [n, h, w, c] per channel of `options.layer` (or per class). */
export function datasetExamples(model: tf.LayersModel, images: tf.Tensor4D, options: DatasetExamplesOptions = {}): DatasetExamples {
  const where = 'datasetExamples';
  const { layer, top = 9, reduce = 'sum', batchSize = 256 } = options;
  if (!(images instanceof tf.Tensor) || images.rank !== 4) throw new Error(`${where}: images must be a tf.Tensor [n, h, w, c]; got ${images instanceof tf.Tensor ? `shape [${images.shape}]` : typeof images}`);
  if (!Number.isInteger(top) || top < 1 || top > images.shape[0]) throw new Error(`${where}: options.top must be an integer in 1..${images.shape[0]} (the number of images); got ${top}`);
  if (!['sum', 'mean', 'max'].includes(reduce)) throw new Error(`${where}: options.reduce must be 'sum', 'mean' or 'max'; got ${JSON.stringify(reduce)}`);
  if (layer !== undefined) checkLayer(where, modelShapes(model), layer);
  const n = images.shape[0];
  let units = 0;
  let scores: Float32Array | undefined;
  let argPos: Int32Array | undefined;
  let mapW = 1;
  const classes = modelShapes(model).classes;
  const runners = layer === undefined ? Array.from({ length: classes }, (_, k) => objectiveRunner(where, model, classScore(k), 1)) : [];
  const sub = layer !== undefined ? tf.model({ inputs: model.inputs, outputs: model.getLayer(layer).output as tf.SymbolicTensor }) : undefined;
  for (let lo = 0; lo < n; lo += batchSize) {
    const size = Math.min(batchSize, n - lo);
    const [s, p] = tf.tidy(() => {
      const x = images.slice(lo, size);
      if (!sub) {
        const rows = tf.stack(runners.map((r) => r.values(x, x)), 1);
        return [rows, tf.zeros(rows.shape, 'int32')];
      }
      const a = sub.apply(x, { training: false }) as tf.Tensor;
      const k = a.shape[a.rank - 1];
      const flat = a.reshape([size, -1, k]);
      const r = reduce === 'sum' ? flat.sum(1) : reduce === 'mean' ? flat.mean(1) : flat.max(1);
      return [r, flat.argMax(1)];
    });
    units = s.shape[1] as number;
    scores ??= new Float32Array(n * units);
    argPos ??= new Int32Array(n * units);
    scores.set(s.dataSync(), lo * units);
    argPos.set(p.dataSync() as Int32Array, lo * units);
    tf.dispose([s, p]);
  }
  if (layer !== undefined) {
    const shape = model.getLayer(layer).outputShape as number[];
    mapW = shape.length === 4 ? shape[2] : 1;
  }
  const indices: number[][] = [];
  const values: number[][] = [];
  const positions: [number, number][][] = [];
  for (let u = 0; u < units; u++) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores as Float32Array)[b * units + u] - (scores as Float32Array)[a * units + u]).slice(0, top);
    indices.push(order);
    values.push(order.map((i) => (scores as Float32Array)[i * units + u]));
    positions.push(order.map((i) => {
      const f = (argPos as Int32Array)[i * units + u];
      return [Math.floor(f / mapW), f % mapW];
    }));
  }
  return { layer: layer ?? 'class', indices, values, positions, reduce };
}

/** Size, jump and start (in input pixels) of one unit's receptive field at a layer. */
export interface ReceptiveField {
  /** Side of the square the unit sees. */
  size: number;
  /** Input pixels between neighbouring units. */
  jump: number;
  /** Input coordinate of the centre of unit 0. */
  start: number;
}

/** The receptive field of `layer` in a chain of conv / pooling layers (Araujo, Norris & Sim 2019, "Computing receptive fields of CNNs"). */
export function receptiveField(model: tf.LayersModel, layer: string): ReceptiveField {
  const where = 'receptiveField';
  checkLayer(where, modelShapes(model), layer);
  let size = 1;
  let jump = 1;
  let start = 0;
  for (const l of model.layers) {
    const cfg = l.getConfig() as { kernelSize?: number[]; poolSize?: number[]; strides?: number[]; padding?: string };
    const k = (cfg.kernelSize ?? cfg.poolSize)?.[0];
    if (k !== undefined) {
      const s = cfg.strides?.[0] ?? k;
      const pad = cfg.padding === 'same' ? Math.floor((k - 1) / 2) : 0;
      start += ((k - 1) / 2 - pad) * jump;
      size += (k - 1) * jump;
      jump *= s;
    } else if (!['InputLayer', 'Activation', 'Dropout', 'BatchNormalization'].includes(l.getClassName())) {
      if (l.name !== layer) throw new Error(`${where}: layer '${l.name}' (${l.getClassName()}) before '${layer}' is not a conv or pooling layer; the receptive field is the whole input`);
    }
    if (l.name === layer) break;
  }
  return { size, jump, start };
}

/** The receptive-field patches [top, r, r, c] of unit `unit`'s top images (zero outside the image). */
export function examplePatches(model: tf.LayersModel, images: tf.Tensor4D, ex: DatasetExamples, unit: number): tf.Tensor4D {
  if (ex.layer === 'class') throw new Error('examplePatches: class examples have no receptive field (the whole image); show the images');
  if (!Number.isInteger(unit) || unit < 0 || unit >= ex.indices.length) throw new Error(`examplePatches: unit must be in 0..${ex.indices.length - 1}; got ${unit}`);
  const rf = receptiveField(model, ex.layer);
  const [, h, w, c] = images.shape;
  const half = Math.floor(rf.size / 2);
  return tf.tidy(() => {
    const padded = tf.pad(images, [[0, 0], [rf.size, rf.size], [rf.size, rf.size], [0, 0]]);
    const crops = ex.indices[unit].map((i, k) => {
      const [y, x] = ex.positions[unit][k];
      const cy = Math.round(rf.start + y * rf.jump) - half + rf.size;
      const cx = Math.round(rf.start + x * rf.jump) - half + rf.size;
      return padded.slice([i, Math.max(0, Math.min(cy, h + 2 * rf.size - rf.size)), Math.max(0, Math.min(cx, w + 2 * rf.size - rf.size)), 0], [1, rf.size, rf.size, c]);
    });
    return tf.concat(crops, 0) as tf.Tensor4D;
  });
}
