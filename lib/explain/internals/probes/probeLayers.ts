/**
 * Per-layer probing (the lecture's "what does each layer know?"; Tenney et al. 2019; Liu et al.
 * 2019): for every layer and every task, a probe trained on the `train` tokens, early-stopped on
 * `dev`, scored on `test`; beside it the same probe on Hewitt & Liang's (2019) control task and
 * the selectivity (task − control), and the majority-class baseline of each task. The result is a
 * typed {@link ProbingTable} that `probeTable` draws.
 *
 * @example
 * ```ts
 * const reps = { train: layerRepresentations(m, data.sentences.train), dev: …, test: … };
 * const table = await probeLayers(reps, [pos, fine, ner], { kind: 'linear' });
 * table.cells['layer 2']['universal POS'].accuracy;   // beside table.majority['universal POS']
 * show(probeTable(table));
 * ```
 */
import { tf } from '../../../engine/tf';
import { progress } from '../../../display/progress';
import { majorityBaseline } from './controlTask';
import type { LayerRepresentations } from './layerRepresentations';
import { linearProbes } from './linearProbes';
import { probe, type ProbeData, type ProbeOptions, type ProbeResult } from './probe';
import { PROBING_SPLITS, type ProbingTask, type Splits } from './probingTask';

/** One layer × task of a {@link ProbingTable} (accuracies on `test`). */
export interface ProbingCell {
  accuracy: number;
  /** Accuracy on `dev` (where the probe was early-stopped). */
  dev: number;
  /** The same probe on the control task, and selectivity = accuracy − control (when controls were run). */
  control?: number;
  selectivity?: number;
  /** F1 per class name on `test` (NaN: a class absent from test and never predicted), and their macro mean. */
  perClassF1: Record<string, number>;
  macroF1: number;
  /** Epochs run, and the one kept. */
  epochs: number;
  bestEpoch: number;
}

/** What {@link probeLayers} returns: layers × tasks of one model. */
export interface ProbingTable {
  model: string;
  probe: 'linear' | 'mlp';
  layers: string[];
  tasks: string[];
  /** Tasks whose labels are silver (made by a model). */
  silver: string[];
  cells: Record<string, Record<string, ProbingCell>>;
  /** Test accuracy of always answering the most frequent training class. */
  majority: Record<string, number>;
  /** Layer with the best test accuracy, per task. */
  best: Record<string, string>;
  /** Classes of each task that occur in dev or test but never in train. */
  unseen: Record<string, string[]>;
  tokens: Splits<number>;
  /** Probes trained (with controls), and milliseconds for all of them. */
  probes: number;
  ms: number;
}

/** Options of {@link probeLayers}: those of {@link probe} (here batchSize 512, at most 12 epochs, patience 2 by default), and: */
export interface ProbeLayersOptions extends Omit<ProbeOptions, 'classes' | 'classNames' | 'warn'> {
  /** Also probe the control tasks; default true. */
  control?: boolean;
  /** Only these layers; default all. */
  layers?: readonly string[];
  /** Scale every dimension to mean 0, standard deviation 1 on `train` (the same shift for dev and test); default true. */
  standardize?: boolean;
}

/** Per-split tensors of one layer (standardized with train's statistics). */
function layerData(reps: Splits<LayerRepresentations>, l: number, standardize: boolean): Splits<tf.Tensor2D> {
  return tf.tidy(() => {
    const t = (s: keyof Splits<unknown>) => tf.tensor2d(reps[s].features[l], [reps[s].tokens, reps[s].dims[l]]);
    const raw = { train: t('train'), dev: t('dev'), test: t('test') };
    if (!standardize) return raw;
    const { mean, variance } = tf.moments(raw.train, 0);
    const scale = tf.rsqrt(tf.add(variance, 1e-6));
    const norm = (x: tf.Tensor2D) => tf.mul(tf.sub(x, mean), scale) as tf.Tensor2D;
    return { train: norm(raw.train), dev: norm(raw.dev), test: norm(raw.test) };
  });
}

/**
 * Probes every layer of `reps` (the same model's representations of the train, dev and test
 * tokens) for every task (see the module example). Interruptible; progress over the probes; leaves
 * no tensor behind.
 *
 * @throws Error naming the split when its representations and a task's labels differ in length,
 * or a split has no tokens.
 */
export async function probeLayers(reps: Splits<LayerRepresentations>, tasks: readonly ProbingTask[], options: ProbeLayersOptions = {}): Promise<ProbingTable> {
  const where = 'probeLayers';
  const { control = true, standardize = true, kind = 'linear', quiet = false, batchSize = 512, epochs = 12, patience = 2, ...rest } = options;
  const probeOptions = { ...rest, batchSize, epochs, patience };
  if (!reps || PROBING_SPLITS.some((s) => !reps[s] || !Array.isArray(reps[s].features))) throw new Error(`${where}: reps must have train, dev and test LayerRepresentations`);
  if (!Array.isArray(tasks) || tasks.length === 0) throw new Error(`${where}: tasks must be a non-empty array of ProbingTask`);
  const layers = reps.train.layers;
  for (const s of PROBING_SPLITS) {
    if (reps[s].tokens === 0) throw new Error(`${where}: the ${s} split has no tokens`);
    if (reps[s].layers.join() !== layers.join()) throw new Error(`${where}: reps.${s} has layers ${reps[s].layers.join(', ')} but reps.train has ${layers.join(', ')}`);
    for (const t of tasks) {
      if (t.labels[s].length !== reps[s].tokens) throw new Error(`${where}: reps.${s} has ${reps[s].tokens} tokens but task '${t.name}' has ${t.labels[s].length} ${s} labels`);
    }
  }
  const chosen = options.layers ?? layers;
  chosen.forEach((l) => {
    if (!layers.includes(l)) throw new Error(`${where}: options.layers has '${l}', not a layer of ${reps.train.model} (${layers.join(', ')})`);
  });
  const runs = chosen.length * tasks.length * (control ? 2 : 1);
  const bar = progress({ total: runs, label: `${kind} probes on ${reps.train.model}`, enabled: !quiet, every: Math.max(1, tasks.length * (control ? 2 : 1)) });
  const t0 = Date.now();
  const cells: ProbingTable['cells'] = {};
  const unseen: ProbingTable['unseen'] = {};
  for (const layer of chosen) {
    const x = layerData(reps, layers.indexOf(layer), standardize);
    try {
      const results: ProbeResult[][] = [];
      if (kind === 'linear') {
        // task and control probes of every task in one pass (linearProbes: the same probes, fewer kernel launches)
        const heads = (s: keyof Splits<unknown>) => ({ features: x[s], labels: tasks.flatMap((t) => (control ? [t.labels[s], t.control[s]] : [t.labels[s]])) });
        const classes = tasks.flatMap((t) => (control ? [t.classes.length, t.classes.length] : [t.classes.length]));
        const r = await linearProbes(heads('train'), heads('dev'), heads('test'), { ...probeOptions, quiet: true, warn: false, classes });
        tasks.forEach((_, k) => results.push(control ? [r[2 * k], r[2 * k + 1]] : [r[k]]));
        bar.tick({ layer }, r.length);
      } else {
        for (const task of tasks) {
          const data = (labels: Splits<number[]>): Splits<ProbeData> => ({ train: { features: x.train, labels: labels.train }, dev: { features: x.dev, labels: labels.dev }, test: { features: x.test, labels: labels.test } });
          const common = { ...probeOptions, kind, quiet: true, warn: false, classes: task.classes.length };
          const d = data(task.labels);
          const r = await probe(d.train, d.dev, d.test, common);
          bar.tick({ layer, task: task.name, accuracy: r.accuracy.test! });
          if (control) {
            const c = data(task.control);
            results.push([r, await probe(c.train, c.dev, c.test, common)]);
            bar.tick();
          } else results.push([r]);
        }
      }
      cells[layer] = {};
      tasks.forEach((task, k) => {
        const [r, rc] = results[k];
        unseen[task.name] = r.unseenClasses.map((c) => task.classes[c]);
        const cell: ProbingCell = {
          accuracy: r.accuracy.test!,
          dev: r.accuracy.dev,
          perClassF1: Object.fromEntries(task.classes.map((c: string, i: number): [string, number] => [c, r.perClassF1[i]])),
          macroF1: r.macroF1,
          epochs: r.epochs,
          bestEpoch: r.bestEpoch,
        };
        if (rc) {
          cell.control = rc.accuracy.test!;
          cell.selectivity = cell.accuracy - cell.control;
        }
        cells[layer][task.name] = cell;
      });
    } finally {
      tf.dispose([x.train, x.dev, x.test]);
    }
  }
  const names = tasks.map((t) => t.name);
  const majority = Object.fromEntries(tasks.map((t) => [t.name, majorityBaseline(t.labels.train, t.labels.test).accuracy]));
  const best = Object.fromEntries(names.map((t) => [t, chosen.reduce((a, b) => (cells[b][t].accuracy > cells[a][t].accuracy ? b : a))]));
  for (const t of tasks) if (unseen[t.name]?.length) console.warn(`${where}: ${t.name}: class${unseen[t.name].length > 1 ? 'es' : ''} ${unseen[t.name].join(', ')} never occur${unseen[t.name].length > 1 ? '' : 's'} in training (the probe cannot predict ${unseen[t.name].length > 1 ? 'them' : 'it'})`);
  const ms = Date.now() - t0;
  bar.done({ seconds: Math.round(ms / 100) / 10 });
  return {
    model: reps.train.model,
    probe: kind,
    layers: [...chosen],
    tasks: names,
    silver: tasks.filter((t) => t.silver).map((t) => t.name),
    cells,
    majority,
    best,
    unseen,
    tokens: { train: reps.train.tokens, dev: reps.dev.tokens, test: reps.test.tokens },
    probes: runs,
    ms,
  };
}
