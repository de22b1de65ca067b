/**
 * A progress bar that updates in place in a notebook (iterations, elapsed, estimate, last
 * metrics) and degrades to one line per reported step in a plain Node script.
 *
 * @example
 * ```ts
 * const bar = progress({ total: 100, label: 'gradient ascent' });
 * for (let i = 0; i < 100; i++) { …; bar.tick({ loss: 0.31 }); }
 * bar.done();
 * ```
 */
import { displaySink, newDisplayId } from './sink';
import type { MimeBundle } from './figure';
import { escapeHtml } from './escape';

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** Number of steps. */
  total: number;
  /** What is running. */
  label?: string;
  /** `false` shows nothing (tests); default true. */
  enabled?: boolean;
  /** In a terminal, print one line every `every` steps (default: about 10 lines in all). */
  every?: number;
  /** Minimum milliseconds between in-place updates in a notebook (default 200). */
  minIntervalMs?: number;
}

/** A running progress display. */
export interface Progress {
  /** Advance by `n` steps (default 1) and show the latest metrics. */
  tick(metrics?: Record<string, number | string>, n?: number): void;
  /** Finish: show the final state. */
  done(metrics?: Record<string, number | string>): void;
  /** Steps counted so far. */
  readonly count: number;
}

function fmtTime(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60).toString().padStart(2, '0')}s`;
}

function fmtMetrics(m: Record<string, number | string>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? (Math.abs(v) >= 100 || v === Math.round(v) ? String(Math.round(v * 100) / 100) : v.toFixed(4)) : v}`)
    .join(' · ');
}

/** Renders the state as a MIME bundle (HTML bar + text line). */
export function progressBundle(label: string, count: number, total: number, elapsedMs: number, metrics: Record<string, number | string>): MimeBundle {
  const frac = total > 0 ? Math.min(1, count / total) : 1;
  const eta = count > 0 ? (elapsedMs / count) * (total - count) : NaN;
  const text = `${label} ${count}/${total} [${fmtTime(elapsedMs)} elapsed, ${count >= total ? 'done' : fmtTime(eta) + ' left'}]${
    Object.keys(metrics).length ? ' ' + fmtMetrics(metrics) : ''
  }`;
  const pct = (frac * 100).toFixed(1);
  const html =
    `<div class="xai-progress" style="font-family:monospace;font-size:12px">` +
    `<span>${escapeHtml(label)}</span> ` +
    `<progress value="${count}" max="${total}" style="width:240px;vertical-align:middle"></progress> ` +
    `<span>${count}/${total} (${pct}%) · ${fmtTime(elapsedMs)} elapsed · ${count >= total ? 'done' : fmtTime(eta) + ' left'}</span>` +
    (Object.keys(metrics).length ? ` <span>· ${escapeHtml(fmtMetrics(metrics))}</span>` : '') +
    `</div>`;
  return { 'text/plain': text, 'text/html': html };
}

/** Starts a progress display; see the module example. */
export function progress(options: ProgressOptions): Progress {
  const { total, label = 'progress', enabled = true, minIntervalMs = 200 } = options;
  if (!Number.isInteger(total) || total < 0) throw new Error(`progress: options.total must be a non-negative integer; got ${total}`);
  const every = options.every ?? Math.max(1, Math.ceil(total / 10));
  const sink = displaySink();
  const id = newDisplayId();
  const t0 = Date.now();
  let count = 0;
  let last = 0;
  let metrics: Record<string, number | string> = {};
  let shown = false;
  const emit = (force: boolean) => {
    if (!enabled) return;
    const now = Date.now();
    if (sink.live) {
      if (!force && shown && now - last < minIntervalMs) return;
      const b = progressBundle(label, count, total, now - t0, metrics);
      if (shown) sink.update(b, undefined, id);
      else sink.display(b, undefined, id);
      shown = true;
      last = now;
    } else if (force || count % every === 0) {
      sink.display(progressBundle(label, count, total, now - t0, metrics));
    }
  };
  return {
    get count() {
      return count;
    },
    tick(m, n = 1) {
      count += n;
      if (m) metrics = { ...metrics, ...m };
      emit(false);
    },
    done(m) {
      if (m) metrics = { ...metrics, ...m };
      if (!sink.live && count % every === 0 && count > 0 && !m) return;
      emit(true);
    },
  };
}
