/**
 * The one course model: the reference CNN trained once on real MNIST to ≥ 98% on the 2,004
 * held-out digits, saved under `data/generated/course-cnn/` (a plain model.json + weights.bin
 * written by a file IOHandler: no tfjs-node needed) and loaded in well under a second afterwards.
 * Every course notebook explains this same model and the same test digits ({@link courseDigits}).
 *
 * Training budget ({@link COURSE_RECIPE}): the 7,996 `train` digits plus two copies shifted by up to
 * ±2 pixels (23,988 images; LeCun et al. 1998 used such distortions), Adam, 4 epochs at batch 32 and
 * learning rate 3e-3, 2 at batch 64 and 1e-3, 2 at batch 64 and 3e-4 (8 epochs, ~190,000 images seen),
 * weights seeded: 98.25% on the held-out digits (seeds 1–3: 98.15–98.40%). A saved model that is corrupt or of another recipe
 * version is retrained with a one-line note.
 *
 * @example
 * ```ts
 * const { model, accuracy } = await courseModel();   // trains once (~1 min on 2 cores), then loads
 * const { images, classes } = courseDigits(8);        // test digits 0, 1, …, 7
 * ```
 */
import * as path from 'path';
import { tf } from '../engine/tf';
import { loadMnist, type MnistSet } from '../data/mnist';
import { seededRandom } from '../data/permutation';
import { generatedDir } from '../packageRoot';

import { referenceCnn } from './referenceCnn';
import { evaluate, train } from './train';
import { cachedModels, loadSavedModels } from './modelCache';

/** Version of the training recipe: a saved model of another version is retrained. */
export const COURSE_MODEL_VERSION = 2;

/** What {@link courseModel} returns. */
export interface CourseModel {
  /** The trained reference CNN (layers conv1, pool1, conv2, pool2, flatten, dense; softmax output). */
  model: tf.LayersModel;
  /** Accuracy on the 2,004 held-out `test` digits, measured when it was trained. */
  accuracy: number;
  /** Whether this call trained it (false: loaded from `dir`). */
  trained: boolean;
  /** Milliseconds this call took (training, or loading). */
  ms: number;
  /** Where it is saved. */
  dir: string;
}

/** Options of {@link courseModel}. */
export interface CourseModelOptions {
  /** Folder to save to and load from; default `data/generated/course-cnn` in the project (or `$XAI_DATA_DIR/course-cnn`). */
  dir?: string;
  /** Train again even when a saved model exists; default false. */
  retrain?: boolean;
  /** Hide the training progress bar; default false. */
  quiet?: boolean;
}

interface Meta {
  accuracy: number;
}

/** Each training digit shifted by up to ±2 pixels (one random shift per image), `copies` times. */
function shiftedCopies(images: tf.Tensor4D, copies: number, seed: number): tf.Tensor4D[] {
  const rnd = seededRandom(seed);
  const [n, h, w] = images.shape;
  const out: tf.Tensor4D[] = [];
  for (let c = 0; c < copies; c++) {
    out.push(
      tf.tidy(() => {
        const padded = tf.pad(images, [[0, 0], [2, 2], [2, 2], [0, 0]]);
        const byShift = new Map<number, number[]>();
        for (let i = 0; i < n; i++) {
          const k = Math.floor(rnd() * 25);
          byShift.set(k, [...(byShift.get(k) ?? []), i]);
        }
        const order: number[] = [];
        const pieces: tf.Tensor[] = [];
        for (const [k, idx] of byShift) {
          pieces.push(tf.gather(padded, idx).slice([0, Math.floor(k / 5), k % 5, 0], [idx.length, h, w, 1]));
          order.push(...idx);
        }
        const back = new Array<number>(n);
        order.forEach((orig, j) => (back[orig] = j));
        return tf.gather(tf.concat(pieces, 0), back) as tf.Tensor4D;
      }),
    );
  }
  return out;
}

/** One phase of the course model's training: epochs at a batch size and learning rate. */
export interface TrainingPhase {
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/** The course model's training recipe (version {@link COURSE_MODEL_VERSION}). */
export const COURSE_RECIPE: { seed: number; shiftedCopies: number; phases: TrainingPhase[] } = {
  seed: 1,
  shiftedCopies: 2,
  phases: [
    { epochs: 4, batchSize: 32, learningRate: 3e-3 },
    { epochs: 2, batchSize: 64, learningRate: 1e-3 },
    { epochs: 2, batchSize: 64, learningRate: 3e-4 },
  ],
};

async function trainCourseModel(quiet: boolean): Promise<{ model: tf.LayersModel; accuracy: number }> {
  const { seed, phases } = COURSE_RECIPE;
  const tr = loadMnist({ split: 'train' });
  const te = loadMnist({ split: 'test' });
  const shifted = shiftedCopies(tr.images, COURSE_RECIPE.shiftedCopies, seed);
  const x = tf.concat([tr.images, ...shifted], 0);
  const y = tf.concat([tr.labels, ...shifted.map(() => tr.labels)], 0);
  tf.dispose([...shifted, tr.images, tr.labels]);
  const model = referenceCnn({ seed });
  try {
    for (const [k, p] of phases.entries()) await train(model, x, y, { ...p, shuffle: 100 * (k + 1), quiet });
    return { model, accuracy: evaluate(model, te.images, te.labels).accuracy };
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose([x, y, te.images, te.labels]);
  }
}

/**
 * The course model saved in `dir` with its recorded accuracy, or why it cannot be used: `'none'` (no
 * model there), another recipe version, or a file that could not be read (the error's first line).
 *
 * @example
 * ```ts
 * const saved = await loadSavedCourseModel('data/generated/course-cnn');
 * if (typeof saved === 'string') console.log(saved);
 * ```
 */
export async function loadSavedCourseModel(dir: string): Promise<{ model: tf.LayersModel; meta: { version: number; accuracy: number } } | string> {
  const saved = await loadSavedModels<Meta>(dir, COURSE_MODEL_VERSION, ['']);
  return typeof saved === 'string' ? saved : { model: saved.models[''], meta: saved.meta };
}

/**
 * The course CNN: loaded from `data/generated/course-cnn/` when saved there with this recipe
 * version, otherwise trained (see the module's budget), saved, and returned.
 */
export async function courseModel(options: CourseModelOptions = {}): Promise<CourseModel> {
  const dir = options.dir ?? path.join(generatedDir(), 'course-cnn');
  const c = await cachedModels<Meta>('courseModel', 'model', dir, COURSE_MODEL_VERSION, [''], options, async () => {
    const { model, accuracy } = await trainCourseModel(options.quiet ?? false);
    return { models: { '': model }, meta: { accuracy } };
  });
  return { model: c.models[''], accuracy: c.meta.accuracy, trained: c.trained, ms: c.ms, dir };
}

/**
 * The course's test digits: the first `count` of the held-out `test` split, which is interleaved
 * by class (0, 1, …, 9, 0, 1, …), so `courseDigits(10)` is one of each digit. Every notebook
 * explains these same digits. The caller disposes `images` and `labels`.
 */
export function courseDigits(count = 10): MnistSet {
  if (!Number.isInteger(count) || count < 1 || count > 2004) throw new Error(`courseDigits: count must be an integer in 1..2004 (the held-out digits); got ${count}`);
  return loadMnist({ split: 'test', count });
}
