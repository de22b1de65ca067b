/**
 * The inline script of {@link attentionHeadView} (lib/viz/attentionHeadView.ts): it finds its own
 * figure (the element right before it, checked by its unique id, so two head views on a page, or
 * one shown twice, never touch each other), shows the controls (hidden
 * without JavaScript, where the static lines stay), decodes one layer × head of thresholded
 * weights only when it is first drawn, and redraws the lines on a layer change, a head click or a
 * token hover. Lines are batched into one `<path>` per head and opacity level, so a 256-token
 * sentence redraws in milliseconds. No external file, no global name.
 */
import { scriptJson } from '../display/escape';

/** What the script needs: geometry, colours, and per [layer][head] the base64 entries (i: u16, j: u16, weight·255: u8). */
export interface HeadViewData {
  readonly id: string;
  readonly tokens: number;
  readonly x1: number;
  readonly x2: number;
  readonly top: number;
  readonly row: number;
  readonly width: number;
  readonly levels: number;
  readonly threshold: number;
  readonly colors: readonly string[];
  readonly layerNames: readonly string[];
  readonly entries: readonly (readonly string[])[];
  readonly layer: number;
  readonly heads: readonly number[];
}

/** The `<script>` element (its JSON made safe with `scriptJson`). */
export function headViewScript(data: HeadViewData): string {
  return `<script type="text/javascript">(function () {
  var D = ${scriptJson(data)};
  // the figure right before this script (a figure shown twice has its id twice), else by id; bound once
  var me = document.currentScript, root = me && me.previousElementSibling;
  if (!root || root.id !== D.id) root = document.getElementById(D.id);
  if (!root || root.getAttribute('data-xai-bound')) return;
  root.setAttribute('data-xai-bound', '1');
  var g = root.querySelector('.xai-hv-lines');
  var sel = root.querySelector('.xai-hv-layer');
  var caption = root.querySelector('.xai-hv-caption');
  var heads = Array.prototype.slice.call(root.querySelectorAll('.xai-hv-head'));
  var texts = Array.prototype.slice.call(root.querySelectorAll('.xai-hv-tok'));
  var state = { layer: D.layer, heads: {}, focus: null };
  D.heads.forEach(function (h) { state.heads[h] = true; });
  var cache = {};
  function entries(l, h) {
    var key = l + '/' + h;
    if (cache[key]) return cache[key];
    var s = atob(D.entries[l][h]), n = s.length / 5, e = new Int32Array(3 * n);
    for (var k = 0; k < n; k++) {
      var o = 5 * k;
      e[3 * k] = (s.charCodeAt(o) << 8) | s.charCodeAt(o + 1);
      e[3 * k + 1] = (s.charCodeAt(o + 2) << 8) | s.charCodeAt(o + 3);
      e[3 * k + 2] = s.charCodeAt(o + 4);
    }
    return (cache[key] = e);
  }
  function y(i) { return (D.top + (i + 0.5) * D.row).toFixed(1); }
  function draw() {
    var t0 = performance.now(), out = [], count = 0, chosen = [];
    for (var h = 0; h < D.colors.length; h++) {
      if (!state.heads[h]) continue;
      chosen.push(h);
      var e = entries(state.layer, h), byLevel = {};
      for (var k = 0; k < e.length; k += 3) {
        var i = e[k], j = e[k + 1];
        if (state.focus && (state.focus.side === 'q' ? i !== state.focus.i : j !== state.focus.i)) continue;
        var lv = Math.max(1, Math.round((e[k + 2] / 255) * D.levels));
        (byLevel[lv] = byLevel[lv] || []).push('M' + D.x1 + ' ' + y(i) + 'L' + D.x2 + ' ' + y(j));
        count++;
      }
      for (var lv2 in byLevel) out.push('<path stroke="' + D.colors[h] + '" stroke-opacity="' + (lv2 / D.levels).toFixed(3) + '" d="' + byLevel[lv2].join('') + '"/>');
    }
    g.innerHTML = out.join('');
    texts.forEach(function (t) {
      var on = state.focus && t.getAttribute('data-side') === state.focus.side && Number(t.getAttribute('data-i')) === state.focus.i;
      t.setAttribute('font-weight', on ? '700' : '400');
    });
    caption.textContent = 'layer ' + D.layerNames[state.layer] + ' · head' + (chosen.length === 1 ? ' ' : 's ') + (chosen.length ? chosen.join(', ') : 'none') +
      ' · ' + count + ' lines (weights ≥ ' + D.threshold + '; opacity = weight)' + (state.focus ? ' · ' + (state.focus.side === 'q' ? 'from' : 'to') + ' token ' + state.focus.i : '');
    heads.forEach(function (b) { b.style.opacity = state.heads[b.getAttribute('data-h')] ? '1' : '0.25'; });
    root.setAttribute('data-draw-ms', (performance.now() - t0).toFixed(1));
    root.setAttribute('data-lines', String(count));
  }
  heads.forEach(function (b) {
    b.addEventListener('click', function () { var h = b.getAttribute('data-h'); state.heads[h] = !state.heads[h]; draw(); });
    b.addEventListener('dblclick', function () { state.heads = {}; state.heads[b.getAttribute('data-h')] = true; draw(); });
  });
  var all = root.querySelector('.xai-hv-all');
  all.addEventListener('click', function () { for (var h = 0; h < D.colors.length; h++) state.heads[h] = true; draw(); });
  sel.addEventListener('change', function () { state.layer = Number(sel.value); draw(); });
  texts.forEach(function (t) {
    t.addEventListener('mouseenter', function () { state.focus = { side: t.getAttribute('data-side'), i: Number(t.getAttribute('data-i')) }; draw(); });
    t.addEventListener('mouseleave', function () { state.focus = null; draw(); });
  });
  root.querySelector('.xai-hv-controls').style.display = '';
  root.querySelector('.xai-hv-static-note').style.display = 'none';
  draw();
})();</script>`;
}
