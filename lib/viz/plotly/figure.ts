/**
 * A plotly figure as a MIME bundle: `application/vnd.plotly.v1+json` for renderers that know
 * plotly (JupyterLab with the plotly extension, VS Code), `text/html` for classic Notebook and
 * nbconvert exports (a div, the static SVG inside it, and a script that draws with
 * `window.Plotly` once the offline bundle has loaded — it queues itself in `window.__xaiPlotlyQueue`
 * until the loader has decompressed plotly.js — then removes the static picture), and
 * the static SVG (inside `text/html`, and as {@link Figure.svg} for code) for renderers without JavaScript.
 */
import { randomUUID } from 'crypto';
import type { Figure } from '../../display/figure';
import { plotlyText, scriptJson } from '../../display/escape';
import { PLOTLY_QUEUE } from '../../display/plotlyEmbed';
import type { AxesText } from '../svg/chart';

/** Plotly's figure JSON. Strings in it must already be escaped with `plotlyText`. */
export interface PlotlySpec {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/**
 * The static SVG of a chart as a figure of its own, without plotly.js: what a chart built with
 * `interactive: false` returns (hover values stay as SVG tooltips where the chart draws them). A
 * notebook whose charts are all static does not carry the 1.8 MB plotly bundle.
 */
export function staticChart(parts: { svg: string; text: string; info?: Record<string, unknown> }): Figure {
  return { bundle: { 'text/plain': parts.text, 'text/html': `<div class="xai-figure">${parts.svg}</div>` }, svg: parts.svg, info: { static: true, ...parts.info } };
}

/** Builds the bundle of a plotly figure from its spec and its static SVG. */
export function plotlyFigure(spec: PlotlySpec, parts: { svg: string; text: string; info?: Record<string, unknown> }): Figure {
  const id = `xai-plot-${randomUUID()}`;
  const full: PlotlySpec = { ...spec, config: { displaylogo: false, responsive: true, ...spec.config } };
  const width = typeof spec.layout.width === 'number' ? spec.layout.width : 640;
  const html =
    `<div id="${id}" class="xai-plotly" data-traces="${spec.data.length}" style="max-width:100%;width:${width}px">` +
    `<div class="xai-plotly-plot"></div>` +
    `<div class="xai-plotly-static">${parts.svg}</div>` +
    `</div>` +
    `<script type="text/javascript">(function () {\n` +
    `  var spec = ${scriptJson(full)};\n` +
    `  var root = document.getElementById(${scriptJson(id)});\n` +
    `  function draw() {\n` +
    `    if (!root || !window.Plotly) return;\n` +
    `    window.Plotly.newPlot(root.querySelector('.xai-plotly-plot'), spec.data, spec.layout, spec.config).then(function () {\n` +
    `      var s = root.querySelector('.xai-plotly-static');\n` +
    `      if (s) s.parentNode.removeChild(s);\n` +
    `    });\n` +
    `  }\n` +
    `  if (window.Plotly) draw();\n` +
    `  else (window.${PLOTLY_QUEUE} = window.${PLOTLY_QUEUE} || []).push(draw);\n` +
    `})();</script>`;
  return {
    // the spec and the static SVG live inside text/html (the script draws the spec; the SVG shows when JavaScript does not
    // run): no second copy as application/vnd.plotly.v1+json or image/svg+xml (see lib/display/figure.ts)
    bundle: { 'text/plain': parts.text, 'text/html': html },
    svg: parts.svg,
    plotly: full,
    info: { traces: spec.data.length, ...parts.info },
  };
}

/** The layout every 2-D chart shares: size, escaped title and axis titles, margins. */
export function cartesianLayout(text: AxesText, width: number, height: number, showlegend: boolean): Record<string, unknown> {
  const title = text.title !== undefined ? plotlyText(text.title) : undefined;
  return {
    width,
    height,
    title: title !== undefined ? { text: title } : undefined,
    xaxis: { title: { text: plotlyText(text.xLabel ?? '') } },
    yaxis: { title: { text: plotlyText(text.yLabel ?? '') } },
    showlegend,
    hovermode: 'closest',
    margin: { l: 60, r: 20, t: title ? 50 : 20, b: 60 },
  };
}
