/**
 * Benchmark workload of per-layer probing (issue 12):
 *   probe-layers-3tasks : linear probes (with their control tasks) on every layer of the tiny BERT (5)
 *                         and the BiLSTM LM (3) for universal POS, Brown tags and silver NER; 30,000 train,
 *                         5,000 dev and 20,000 test tokens (notebook 08's sizes) — target ≤ 60 s.
 * The models are the cached course models; the tokens, labels and layer vectors are made in `setup` (untimed).
 */
import { courseBiLstm, courseBert } from '../../lib/models';
import { BROWN_TASKS, bertLayers, biLstmLayers, brownProbingData, layerRepresentations, probeLayers, probingTask, type LayerRepresentations, type ProbingTable, type ProbingTask, type Splits } from '../../lib/explain/internals/probes';
import type { Workload } from '../workload';

let reps: Splits<LayerRepresentations>[] = [];
let tasks: ProbingTask[] = [];
let last: ProbingTable[] = [];

export const workloads: Workload[] = [
  {
    name: 'probe-layers-3tasks',
    reps: 1,
    setup: async () => {
      const [cb, cl] = [await courseBert({ quiet: true }), await courseBiLstm({ quiet: true })];
      const data = brownProbingData({ tokens: { train: 30000, dev: 5000, test: 20000 } });
      tasks = BROWN_TASKS.map((n) => probingTask(n, data.words, data.tags[n], { seed: 1, silver: n.includes('silver') }));
      reps = [bertLayers(cb.bert, cb.vocab), biLstmLayers(cl.lm, cl.vocab)].map((m) => ({
        train: layerRepresentations(m, data.sentences.train),
        dev: layerRepresentations(m, data.sentences.dev),
        test: layerRepresentations(m, data.sentences.test),
      }));
    },
    run: async () => {
      last = [];
      for (const r of reps) last.push(await probeLayers(r, tasks, { quiet: true }));
    },
    extra: () => ({
      layers: last.reduce((n, t) => n + t.layers.length, 0),
      testTokens: last[0]?.tokens.test,
      bestPos: Object.fromEntries(last.map((t) => [t.model, t.cells[t.best['universal POS']]['universal POS'].accuracy])),
      majorityPos: last[0]?.majority['universal POS'],
    }),
  },
];
