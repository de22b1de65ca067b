import * as assert from 'assert';
import { engineInfo, ready, tf } from '../lib/engine';

/** Whether the optional tfjs-node package is installed. */
const hasNode = (() => {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
})();

describe('ready (backend choice)', () => {
  after(async () => {
    await ready({ backend: 'wasm', verbose: false });
  });

  it('falls back to wasm with our gradient kernels when tfjs-node is absent, and says why', async function () {
    if (hasNode) this.skip();
    const info = await ready({ verbose: false });
    assert.strictEqual(info.backend, 'wasm');
    assert.strictEqual(tf.getBackend(), 'wasm');
    assert.match(info.reason, /tfjs-node is not installed/);
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'Conv2DBackpropFilter is registered for wasm');
    assert.strictEqual(engineInfo(), info);
  });

  it('prints one line naming the chosen backend', async () => {
    const lines: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    try {
      await ready({ backend: 'cpu' });
      await ready({ backend: 'wasm' });
    } finally {
      console.log = orig;
    }
    assert.deepStrictEqual(lines.length, 2);
    assert.match(lines[0], /^tslab-xai: backend cpu — requested/);
    assert.match(lines[1], /^tslab-xai: backend wasm — requested/);
  });

  it('errors naming a requested backend that cannot load, or an unknown one', async function () {
    if (!hasNode) await assert.rejects(ready({ backend: 'node', verbose: false }), /requested backend 'node' cannot load: tfjs-node is not installed/);
    await assert.rejects(ready({ backend: 'webgpu' as never, verbose: false }), /options\.backend must be one of node, wasm, cpu; got 'webgpu'/);
    assert.strictEqual(tf.getBackend(), 'wasm', 'a failed request leaves the working backend in place');
  });
});
