/**
 * The one small interface through which `lib` shows things. In a plain Node script the default
 * sink prints the plain-text form; inside the tslab kernel, `kernel-src` installs a sink that
 * sends real Jupyter `display_data` / `update_display_data` messages. `lib` never imports Jupyter.
 */
import type { Figure, MimeBundle } from './figure';
import { PLOTLY_MIME, plotlyOfflineBundle } from './plotlyEmbed';

/** Where displays go. */
export interface DisplaySink {
  /** Shows a bundle as a new output; `id` names it so that {@link DisplaySink.update} can replace it. */
  display(bundle: MimeBundle, metadata?: Record<string, unknown>, id?: string): void;
  /** Replaces the output shown earlier under `id`. */
  update(bundle: MimeBundle, metadata: Record<string, unknown> | undefined, id: string): void;
  /** True when outputs can be updated in place (a notebook); false for a terminal. */
  readonly live: boolean;
}

/** Prints the text/plain form of each bundle; updates print a new line. */
export const consoleSink: DisplaySink = {
  live: false,
  display(bundle) {
    console.log(bundle['text/plain']);
  },
  update(bundle) {
    console.log(bundle['text/plain']);
  },
};

let sink: DisplaySink = consoleSink;

/**
 * Installs a sink (kernel-src does this inside tslab); returns the previous one.
 *
 * @example
 * ```ts
 * const shown: MimeBundle[] = [];
 * const prev = setDisplaySink({ live: false, display: (b) => shown.push(b), update: (b) => shown.push(b) });
 * show(table(rows));
 * setDisplaySink(prev);
 * ```
 */
export function setDisplaySink(next: DisplaySink): DisplaySink {
  const prev = sink;
  sink = next;
  return prev;
}

/** The sink in use. */
export function displaySink(): DisplaySink {
  return sink;
}

let counter = 0;
/** A fresh display id for outputs that will be updated in place. */
export function newDisplayId(): string {
  counter += 1;
  return `xai-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Sinks (notebook sessions) that already received the plotly.js bundle. */
const plotlyEmbedded = new WeakSet<DisplaySink>();

/**
 * Displays a figure (or a raw bundle) inline in a notebook, or its text form in a terminal.
 * Before the first plotly figure of a notebook session it displays the plotly.js bundle once
 * (offline, like plotly.py's `init_notebook_mode(connected=False)`); later plotly figures reuse it.
 * @example
 * ```ts
 * show(heatmap(attribution.values));
 * ```
 */
export function show(fig: Figure | MimeBundle): void {
  if (fig == null || typeof fig !== 'object') throw new Error('show: fig must be a Figure or a MIME bundle');
  const isFigure = 'bundle' in fig && typeof (fig as Figure).bundle === 'object';
  const bundle = isFigure ? (fig as Figure).bundle : (fig as MimeBundle);
  if (typeof bundle['text/plain'] !== 'string') throw new Error("show: the bundle needs a 'text/plain' entry");
  const plotly = bundle[PLOTLY_MIME] !== undefined || (isFigure && (fig as Figure).plotly !== undefined);
  if (sink.live && plotly && !plotlyEmbedded.has(sink)) {
    sink.display(plotlyOfflineBundle());
    plotlyEmbedded.add(sink);
  }
  sink.display(bundle, isFigure ? (fig as Figure).metadata : undefined);
}
