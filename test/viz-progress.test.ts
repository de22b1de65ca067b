import * as assert from 'assert';
import type { MimeBundle } from '../lib/display/figure';
import { progress } from '../lib/display/progress';
import { setDisplaySink, type DisplaySink } from '../lib/display/sink';

/** Installs a recording sink for the duration of `fn`. */
function record(live: boolean, fn: () => void) {
  const shown: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
  const sink: DisplaySink = {
    live,
    display: (bundle, _m, id) => shown.push({ bundle, id, update: false }),
    update: (bundle, _m, id) => shown.push({ bundle, id, update: true }),
  };
  const prev = setDisplaySink(sink);
  try {
    fn();
  } finally {
    setDisplaySink(prev);
  }
  return shown;
}

describe('progress', () => {
  it('in a notebook: one output updated in place, with count, elapsed, estimate and the last loss', () => {
    const shown = record(true, () => {
      const bar = progress({ total: 5, label: 'ascent', minIntervalMs: 0 });
      for (let i = 0; i < 5; i++) bar.tick({ loss: 1 / (i + 1) });
      bar.done();
    });
    assert.strictEqual(shown.filter((s) => !s.update).length, 1, 'one output');
    assert.ok(shown.slice(1).every((s) => s.update && s.id === shown[0].id), 'then updates of the same display id');
    const last = shown[shown.length - 1].bundle;
    assert.match(last['text/plain'], /^ascent 5\/5 \[[\d.]+s elapsed, done\] loss 0\.2000$/);
    assert.match(String(last['text/html']), /<progress value="5" max="5"/);
    assert.match(shown[1].bundle['text/plain'], /ascent 2\/5 \[[\d.]+s elapsed, [\d.]+s left\] loss 0\.5000/);
  });

  it('in a terminal: one line per step count (about ten in all), plus the final state', () => {
    const shown = record(false, () => {
      const bar = progress({ total: 25, label: 'tsne' });
      for (let i = 0; i < 25; i++) bar.tick({ kl: 1 });
      bar.done();
    });
    assert.ok(shown.every((s) => !s.update && s.id === undefined));
    assert.deepStrictEqual(
      shown.map((s) => Number(/tsne (\d+)\/25/.exec(s.bundle['text/plain'])?.[1])),
      [3, 6, 9, 12, 15, 18, 21, 24, 25],
    );
  });

  it('shows nothing when disabled, and rejects a bad total by name', () => {
    assert.strictEqual(record(true, () => progress({ total: 3, enabled: false }).tick()).length, 0);
    assert.throws(() => progress({ total: -1 }), /options\.total must be a non-negative integer; got -1/);
  });
});
