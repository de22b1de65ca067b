/**
 * What a self-check reports: ✓ or ✗, one line saying why, and for a known common mistake a hint.
 * Shown through lib/display as a small HTML/text output; the bundle also carries the result as
 * JSON (`application/vnd.tslab-xai.check+json`) so that the notebook runner can tell a passing
 * check from a failing one without reading prose.
 */
import type { Figure, MimeBundle } from '../display/figure';
import { escapeHtml } from '../display/escape';
import { show } from '../display/sink';

/** MIME type of the machine-readable check result inside a check's bundle. */
export const CHECK_MIME = 'application/vnd.tslab-xai.check+json';

/**
 * Why a check failed: `mismatch` (numbers differ beyond the tolerance), `mistake` (they match a
 * known wrong variant), `shape`, `dtype`, `nan`, `error` (the student's code threw), `missing`
 * (nothing returned / no answer yet), `answer` (a short answer that is not the expected one).
 */
export type CheckStatus = 'pass' | 'mismatch' | 'mistake' | 'shape' | 'dtype' | 'nan' | 'error' | 'missing' | 'answer';

/** The outcome of one check. */
export interface CheckResult {
  /** The exercise's name as shown (`Saliency map`). */
  readonly name: string;
  /** True for ✓. */
  readonly passed: boolean;
  /** Why (see {@link CheckStatus}). */
  readonly status: CheckStatus;
  /** One line: what was compared and how far off, never the expected values themselves. */
  readonly message: string;
  /** For a recognised mistake: what to look at. */
  readonly hint?: string;
}

/**
 * The check as a figure: a coloured line with ✓/✗, the message and the hint (HTML), the same as
 * text, and the result as JSON for the runner.
 *
 * @example
 * ```ts
 * show(checkFigure({ name: 'q1', passed: false, status: 'answer', message: 'not this one' }));
 * ```
 */
export function checkFigure(r: CheckResult): Figure {
  const mark = r.passed ? '✓' : '✗';
  const colour = r.passed ? '#1a7f37' : '#cf222e';
  const text = `${mark} ${r.name}: ${r.message}${r.hint ? `\n  hint: ${r.hint}` : ''}`;
  const html =
    `<div class="tslab-xai-check" style="border-left:4px solid ${colour};padding:3px 10px;margin:2px 0;font-family:sans-serif;font-size:13px">` +
    `<b style="color:${colour}">${mark} ${escapeHtml(r.name)}</b> — ${escapeHtml(r.message)}` +
    (r.hint ? `<br><span style="color:#57606a">hint: ${escapeHtml(r.hint)}</span>` : '') +
    `</div>`;
  const bundle: MimeBundle = { 'text/plain': text, 'text/html': html, [CHECK_MIME]: { name: r.name, passed: r.passed, status: r.status } };
  return { bundle, info: { ...r } };
}

/** Shows a check's result (through lib/display) and returns it. */
export function report(r: CheckResult): CheckResult {
  show(checkFigure(r));
  return r;
}

/** The first non-blank line of an error's message (no stack trace). */
export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n').find((l) => l.trim().length > 0) ?? '';
  const name = e instanceof Error && e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return (name + line.trim()).slice(0, 300) || (e instanceof Error ? e.name : 'an error without a message');
}
