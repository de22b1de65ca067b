/**
 * Escaping of user strings (class names, tokens, captions, table cells, hover text, titles) on
 * their way into HTML, SVG and `<script>` blocks. Every `lib/viz` function passes user text
 * through one of these; nothing a user writes is ever interpreted as markup or code.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML or SVG element content and attribute values (`& < > " '`).
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror=alert(1)>') // '&lt;img src=x onerror=alert(1)&gt;'
 * ```
 */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * JSON that is safe inside an HTML `<script>` element: `<`, `>`, `&` and the JavaScript line
 * separators U+2028/U+2029 become `\u` escapes, so no string can close the script (`</script>`)
 * or open a comment (`<!--`). The result still parses to the same value.
 * @example
 * ```ts
 * `<script>var spec = ${scriptJson({ name: '</script>' })};</script>`
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Escapes text for plotly.js labels (trace names, hover text, tick labels, titles). Plotly reads a
 * small set of HTML-like tags and entities in its strings; escaping `& < >` makes user text show
 * literally (plotly decodes `&lt;` back to `<` when it draws, as text).
 * @example
 * ```ts
 * plotlyText('<b>x</b>') // '&lt;b&gt;x&lt;/b&gt;'
 * ```
 */
export function plotlyText(text: unknown): string {
  return String(text).replace(/[&<>]/g, (c) => HTML_ENTITIES[c]);
}
