/**
 * The visual layer: compute results → {@link Figure} (a MIME bundle with PNG / SVG / HTML /
 * plotly JSON and always plain text). `show(figure)` displays one inline; plain Node scripts and
 * tests use the bundle directly.
 *
 * ```ts
 * show(heatmap(saliency(model, x, { target: 3 }), { image: x }));
 * show(scatter(xy, { labels: classes }));
 * ```
 */
export { heatmap, type HeatmapOptions } from './heatmap';
export { imageGrid, type ImageGridOptions, type ImageFacts } from './imageGrid';
export { scatter, type ScatterOptions } from './scatter';
export { linePlot, type LinePlotOptions, type LineSeries } from './linePlot';
export { barChart, type BarChartOptions } from './barChart';
export { attentionMatrix, attentionGrid, type AttentionMatrixOptions, type AttentionGridOptions } from './attention';
export { attentionHeadView, rolloutMatrix, type AttentionHeadViewOptions } from './attentionHeadView';
export { attentionOffsetsTable, type AttentionOffsetsTableOptions } from './attentionOffsets';
export { table, type TableOptions } from './table';
export { probeTable, type ProbeTableOptions } from './probeTable';
export { confusionMatrix, type ConfusionMatrixOptions } from './confusionMatrix';
export { colormap, classColor, NON_FINITE_COLOR, type Colormap, type ColormapName, type Rgb } from './colormap';
export type { ImageInput, NumberGrid } from './images';
export type { MatrixInput } from './matrix';
export type { SignMode } from './valueScale';
export { tokenImportance, type TokenImportanceOptions } from './tokenImportance';
