/**
 * The figures the browser check looks at: ten plotly figures (2-D and 3-D scatter, line, bar) and
 * one of every other kind, with the XSS label `<img src=x onerror=alert(1)>` in every place a user
 * string can go. Used in-process by test/browser.test.ts and, through `require`, by the scratch
 * notebook it executes, so both show exactly the same figures.
 */
import type { Figure } from '../lib/display/figure';
import * as viz from '../lib/viz';
import { tf } from '../lib/engine/tf';
import { createAttribution } from '../lib/explain/core/attribution';
import { seededRandom } from '../lib/data/permutation';

export const XSS = '<img src=x onerror=alert(1)>';

/** The number of plotly figures in {@link browserFigures}. */
export const PLOTLY_FIGURES = 10;

/** Figures in display order. */
/** A comparison of two methods (one row each, labelled) whose first map is saturated. */
function methodComparison(): Figure {
  const maps = (k: number) => Array.from({ length: 2 * 8 * 8 }, (_, i) => (i < 64 && k === 0 ? 1e-30 : Math.sin(i * (k + 1)) * 10 ** -k));
  const parts = [0, 1].map((k) =>
    createAttribution({ method: k === 0 ? XSS : 'integratedGradients', values: tf.tensor4d(maps(k), [2, 8, 8, 1]), target: [1, 2], explained: 'probability', score: [1, 0.7], options: {} }),
  );
  try {
    return viz.heatmap(parts, { title: 'two methods' });
  } finally {
    parts.forEach((a) => a.dispose());
  }
}

/**
 * Synthetic attention of a `t`-token sentence, [layers][heads][t][t], rows summing to 1: head 0
 * looks at the previous token, head 1 at the next, head 2 at the first token ([CLS]), head 3 is a
 * random softmax with three peaks per row (the layers differ in their random part). Deterministic (seeded).
 */
export function syntheticAttention(t: number, layers = 2, heads = 4, seed = 11): number[][][][] {
  const rand = seededRandom(seed);
  return Array.from({ length: layers }, () =>
    Array.from({ length: heads }, (_, h) =>
      Array.from({ length: t }, (_, i) => {
        const e = Array.from({ length: t }, () => Math.exp(4 * rand()));
        const target = h === 0 ? Math.max(0, i - 1) : h === 1 ? Math.min(t - 1, i + 1) : h === 2 ? 0 : -1;
        const s0 = e.reduce((a, b) => a + b, 0);
        if (target >= 0) e[target] += 6 * s0;
        else for (let k = 0; k < 3; k++) e[Math.floor(rand() * t)] += s0 * (0.5 + rand());
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      }),
    ),
  );
}

/** Tokens `w0 … w{t-1}` with `[CLS]` first, and the XSS label at position 3. */
export function syntheticTokens(t: number): string[] {
  return Array.from({ length: t }, (_, i) => (i === 0 ? '[CLS]' : i === 3 ? XSS : `w${i}`));
}

/** The attention figures of the browser check: a 256-token head view, a 64-token grid, a rollout. */
export function attentionFigures(): Figure[] {
  const long = syntheticAttention(256);
  const mid = syntheticAttention(64);
  const short = syntheticAttention(12);
  return [
    viz.attentionHeadView(long, { tokens: syntheticTokens(256), title: 'head view, 256 tokens' }),
    viz.attentionGrid(mid, { tokens: syntheticTokens(64) }),
    viz.attentionHeadView(short, { tokens: syntheticTokens(12), layerNames: ['first', XSS] }),
    viz.rolloutMatrix(short, { tokens: syntheticTokens(12) }),
  ];
}

export function browserFigures(): Figure[] {
  const pts = Array.from({ length: 60 }, (_, i) => [Math.cos(i) * i, Math.sin(i) * i, i]);
  const labels = pts.map((_, i) => i % 3);
  const image = Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => (x + y) / 14));
  const signed = image.map((row) => row.map((v) => v - 0.5));
  return [
    viz.scatter(pts, { labels, classNames: [XSS, 'one', 'two'], hover: pts.map(() => XSS), title: XSS, axisLabels: [XSS, 'y'] }),
    viz.scatter(pts, { labels, dims: 3, title: '3-D' }),
    viz.linePlot({ loss: [1, 0.5, 0.25], [XSS]: [0.2, 0.4, 0.8] }, { xLabel: XSS, title: 'curves' }),
    viz.barChart({ [XSS]: 0.5, conv: 0.7 }, { baseline: { value: 0.1, label: XSS }, title: 'bars' }),
    ...Array.from({ length: PLOTLY_FIGURES - 4 }, (_, k) => viz.linePlot([k, k + 1, 2 * k], { title: `line ${k}` })),
    viz.imageGrid([image, image], { captions: [XSS, 'b'], title: XSS }),
    viz.heatmap([signed, signed], { image: [image, image], captions: [XSS, 'b'], title: XSS }),
    methodComparison(),
    viz.attentionMatrix([[1, 0], [0.5, 0.5]], { tokens: [XSS, 'b'], title: XSS }),
    viz.attentionGrid([[[[1, 0], [0.5, 0.5]]]], { tokens: [XSS, 'b'] }),
    viz.table([{ name: XSS, value: 1 }], { title: XSS }),
    viz.confusionMatrix([[1, 0], [0, 1]], { classNames: [XSS, 'b'] }),
    viz.probeTable({ [XSS]: { task: 0.5 } }),
    ...attentionFigures(),
  ];
}
