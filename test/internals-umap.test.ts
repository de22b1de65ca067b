/** UMAP through umap-js: separates clear clusters, deterministic from its seed, bad input named. */
import * as assert from 'assert';
import { seededRandom } from '../lib/data';
import { silhouette, trustworthiness, umap } from '../lib/explain/internals/embeddings';

function blobs(perClass: number, dims: number, seed: number): { rows: number[][]; labels: number[] } {
  const rnd = seededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      rows.push(Array.from({ length: dims }, (_, j) => (j === c ? 8 : 0) + rnd() - 0.5));
      labels.push(c);
    }
  }
  return { rows, labels };
}

describe('umap (McInnes et al. 2018, via umap-js)', function () {
  this.timeout(120000);

  it('keeps three separated clusters apart and neighbourhoods faithful; same seed, same map', async () => {
    const { rows, labels } = blobs(40, 6, 1);
    const e = await umap(rows, { epochs: 200, progress: false, seed: 3 });
    assert.deepStrictEqual(e.shape, [120, 2]);
    assert.strictEqual(e.method, 'umap');
    const s = silhouette(e.rows(), labels).mean;
    assert.ok(s > 0.6, `silhouette of the map ${s}`);
    const t = trustworthiness(rows, e.rows(), 10);
    assert.ok(t > 0.9, `trustworthiness ${t}`);
    const again = await umap(rows, { epochs: 200, progress: false, seed: 3 });
    assert.deepStrictEqual(Array.from(again.data), Array.from(e.data));
    let seen = 0;
    await umap(rows, { epochs: 100, reportEvery: 25, progress: false, onEpoch: ({ epoch, embedding }) => void (seen += epoch > 0 && embedding.shape[0] === 120 ? 1 : 0) });
    assert.strictEqual(seen, 4);
  });

  it('names bad input: too few points for the neighbours, NaN rows, minDist above spread', async () => {
    const { rows } = blobs(3, 4, 2);
    await assert.rejects(umap(rows, { neighbours: 15 }), /umap: options\.neighbours 15 needs at least 16 points; got 9 points/);
    const bad = rows.map((r, i) => (i === 2 ? [NaN, ...r.slice(1)] : r));
    await assert.rejects(umap(bad, { neighbours: 3 }), /umap: x has 1 of 9 rows with NaN or Infinity values/);
    await assert.rejects(umap(rows, { neighbours: 3, minDist: 2 }), /umap: options\.minDist must be in \[0, spread = 1\]; got 2/);
  });
});
