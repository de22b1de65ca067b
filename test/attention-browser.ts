/**
 * Browser checks of the attention figures (used by test/browser.test.ts on the page that shows
 * viz-browser-figures.ts's figures): the 256-token head view draws within {@link HEAD_VIEW_DRAW_MS},
 * selecting heads and layers and hovering a token change exactly the lines they should (counted from
 * the same synthetic attention here), another head view on the page is untouched, the 64-token grid
 * shows its 8 matrices, one figure shown twice binds each copy to its own script; with JavaScript off the head view's static SVG is there and the controls are not.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { attentionHeadView } from '../lib/viz';
import { syntheticAttention, syntheticTokens } from './viz-browser-figures';

/** Budget for one redraw of the 256-token head view (2 layers × 4 heads), measured in the page by its script. Generous: the machine is shared. */
export const HEAD_VIEW_DRAW_MS = 250;
const T = 256;
const THRESHOLD = 0.02;

/** Lines ≥ threshold for the given layer and heads (optionally only from query `from`). */
function expectedLines(layer: number, heads: number[], from?: number): number {
  const att = syntheticAttention(T);
  return heads.reduce((s, h) => s + att[layer][h].reduce((n, row, i) => n + (from === undefined || i === from ? row.filter((v) => v >= THRESHOLD).length : 0), 0), 0);
}

interface HeadViewState {
  lines: number;
  drawMs: number;
  colors: string[];
  segments: number;
}

async function state(page: Page, id: string): Promise<HeadViewState> {
  return page.evaluate((id) => {
    const root = document.getElementById(id)!;
    const paths = Array.from(root.querySelectorAll('.xai-hv-lines path'));
    return {
      lines: Number(root.getAttribute('data-lines')),
      drawMs: Number(root.getAttribute('data-draw-ms')),
      colors: Array.from(new Set(paths.map((p) => p.getAttribute('stroke')!))).sort(),
      segments: paths.reduce((n, p) => n + (p.getAttribute('d')!.match(/M/g) ?? []).length, 0),
    };
  }, id);
}

/** The ids of the head views on the page with their token counts. */
async function headViews(page: Page): Promise<{ id: string; tokens: number }[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.xai-headview')).map((r) => ({ id: r.id, tokens: r.querySelectorAll('.xai-hv-tok[data-side="q"]').length })));
}

/** Runs the checks on `file` (an exported notebook or the direct page). */
export async function headViewChecks(browser: Browser, file: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !/^Failed to load resource/.test(m.text()) && errors.push(`console.error: ${m.text()}`));
  try {
    const t0 = Date.now();
    await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 120000 });
    const loadMs = Date.now() - t0;
    const views = await headViews(page);
    const long = views.find((v) => v.tokens === T);
    const short = views.find((v) => v.tokens !== T);
    assert.ok(long && short, `a ${T}-token head view and a short one on the page; found ${JSON.stringify(views)}`);
    const first = await state(page, long.id);
    assert.ok(first.drawMs > 0 && first.drawMs < HEAD_VIEW_DRAW_MS, `first draw took ${first.drawMs} ms (budget ${HEAD_VIEW_DRAW_MS})`);
    assert.strictEqual(first.lines, expectedLines(0, [0, 1, 2, 3]));
    assert.strictEqual(first.segments, first.lines);
    assert.strictEqual(first.colors.length, 4);
    const shortBefore = await state(page, short.id);
    const visible = await page.evaluate((id) => {
      const r = document.getElementById(id)!;
      return [getComputedStyle(r.querySelector('.xai-hv-controls')!).display, getComputedStyle(r.querySelector('.xai-hv-static-note')!).display];
    }, long.id);
    assert.deepStrictEqual(visible, ['block', 'none'], 'controls shown, static note hidden with JavaScript');

    const head = (h: number) => page.locator(`#${long.id} .xai-hv-head[data-h="${h}"]`);
    await head(2).dblclick();
    const only2 = await state(page, long.id);
    assert.strictEqual(only2.lines, expectedLines(0, [2]), 'double-click: only head 2');
    assert.strictEqual(only2.colors.length, 1, 'one colour: one head');
    assert.ok(first.colors.includes(only2.colors[0]));
    await head(0).click();
    assert.strictEqual((await state(page, long.id)).lines, expectedLines(0, [0, 2]), 'click: head 0 added');
    await page.locator(`#${long.id} .xai-hv-layer`).selectOption('1');
    const layer1 = await state(page, long.id);
    assert.strictEqual(layer1.lines, expectedLines(1, [0, 2]), 'layer 1, heads 0 and 2');
    assert.ok(layer1.drawMs < HEAD_VIEW_DRAW_MS, `redraw took ${layer1.drawMs} ms`);
    await page.locator(`#${long.id} .xai-hv-tok[data-side="q"][data-i="10"]`).hover();
    assert.strictEqual((await state(page, long.id)).lines, expectedLines(1, [0, 2], 10), 'hover query 10: its lines only');
    await page.mouse.move(1090, 5);
    assert.strictEqual((await state(page, long.id)).lines, layer1.lines, 'mouse left: all lines again');
    assert.deepStrictEqual(await state(page, short.id), shortBefore, 'the other head view did not change');

    const grid = await page.evaluate(() => {
      const svg = Array.from(document.querySelectorAll('.xai-figure > svg')).find((s) => s.querySelectorAll('image').length === 8);
      return svg ? Array.from(svg.querySelectorAll('image')).map((i) => i.getBoundingClientRect().width) : [];
    });
    assert.strictEqual(grid.length, 8, 'the 64-token grid shows 8 matrices');
    assert.ok(grid.every((w) => w >= 64), `matrix widths ${grid}`);
    assert.deepStrictEqual(errors, []);
    console.log(`      head view ${T} tokens: page load ${loadMs} ms (all figures), first draw ${first.drawMs} ms, layer switch ${layer1.drawMs} ms (shared machine)`);
  } finally {
    await page.close();
  }

  // the same figure shown twice (same id twice): each copy is bound to its own script
  const twice = path.join(path.dirname(file), 'head-view-twice.html');
  const f = attentionHeadView(syntheticAttention(8), { tokens: syntheticTokens(8) });
  fs.writeFileSync(twice, `<!doctype html><html><head><meta charset="utf-8"></head><body>${[f, f].map((x) => `<div class="output">${x.bundle['text/html']}</div>`).join('')}</body></html>`);
  const page3 = await browser.newPage();
  try {
    const errors: string[] = [];
    page3.on('pageerror', (e) => errors.push(e.message));
    await page3.goto(`file://${twice}`, { waitUntil: 'load' });
    const lines = () => page3.evaluate(() => Array.from(document.querySelectorAll('.xai-headview')).map((r) => r.getAttribute('data-lines')));
    const all = await lines();
    assert.strictEqual(all.length, 2);
    assert.ok(all.every((n) => Number(n) > 0), `both copies drawn: ${all}`);
    await page3.locator('.xai-headview').nth(1).locator('.xai-hv-head[data-h="0"]').dblclick();
    const after = await lines();
    assert.strictEqual(after[0], all[0], 'the first copy did not change');
    assert.notStrictEqual(after[1], all[1], 'the second copy changed');
    assert.deepStrictEqual(errors, []);
  } finally {
    await page3.close();
    fs.rmSync(twice, { force: true });
  }

  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
  try {
    const page2 = await context.newPage();
    await page2.goto(`file://${file}`, { waitUntil: 'load', timeout: 120000 });
    const views = await headViews(page2);
    const long = views.find((v) => v.tokens === T)!;
    const r = await page2.evaluate((id) => {
      const root = document.getElementById(id)!;
      const svg = root.querySelector(':scope > svg')!.getBoundingClientRect();
      return {
        controls: getComputedStyle(root.querySelector('.xai-hv-controls')!).display,
        note: (root.querySelector('.xai-hv-static-note') as HTMLElement).innerText,
        size: [svg.width, svg.height],
        segments: Array.from(root.querySelectorAll('.xai-hv-lines path')).reduce((n, p) => n + (p.getAttribute('d')!.match(/M/g) ?? []).length, 0),
      };
    }, long.id);
    assert.strictEqual(r.controls, 'none', 'no dead controls without JavaScript');
    assert.match(r.note, /static picture \(JavaScript off\): layer 0, all heads/);
    assert.ok(r.size[0] > 300 && r.size[1] > 1000, `static SVG size ${r.size}`);
    assert.strictEqual(r.segments, expectedLines(0, [0, 1, 2, 3]));
  } finally {
    await context.close();
  }
}
