/**
 * The wasm kernels tslab-xai supplies (lib/engine/kernels), each checked against tfjs's pure-JS cpu
 * backend on randomized configurations.
 *
 * Relative error: max|wasm − cpu| / max(1, max|cpu|) over all elements, required ≤ 1e-4.
 * Where the cpu kernel ignores dilation (its depthwise backprop kernels do), the reference is the
 * same gradient with the dilated filter written out with zeros, at dilation 1.
 * Kernels with a SIMD path (simd/kernels.c) are checked on both paths.
 */
import * as assert from 'assert';
import { tf, ready } from '../lib/engine';
import { relaxedSimd, useRelaxedSimd, useSimdKernels } from '../lib/engine/kernels/simd/simdKernels';
import { seededRandom } from '../lib/data/permutation';

const TOLERANCE = 1e-4;
const CONFIGS = 24;

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
type Make = () => tf.Tensor;

/** A seeded generator of small integers in [lo, hi], on the library's seeded generator. */
function rng(seed: number): (lo: number, hi: number) => number {
  const next = seededRandom(seed);
  return (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
}

/** Runs `make` on the cpu backend (the engine is back on wasm afterwards). */
async function onCpu(make: Make): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  try {
    const t = make();
    const values = (await t.data()) as Float32Array;
    const shape = t.shape;
    t.dispose();
    return { values, shape };
  } finally {
    await tf.setBackend('wasm');
  }
}

/** max|a − b| / max(1, max|b|), NaN matching NaN. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** Compares `make` on wasm with `reference` (default: `make` itself) on cpu; also asserts no tensor outlives the call. */
async function check(label: string, make: Make, reference: Make = make): Promise<number> {
  const before = tf.memory().numTensors;
  const t = make();
  const got = (await t.data()) as Float32Array;
  const shape = t.shape;
  t.dispose();
  assert.strictEqual(tf.memory().numTensors, before, `${label}: tensors leaked`);
  const want = await onCpu(reference);
  assert.deepStrictEqual(shape, want.shape, `${label}: shape`);
  const err = relativeError(got, want.values);
  assert.ok(err <= TOLERANCE, `${label}: relative error ${err.toExponential(2)} > ${TOLERANCE}`);
  return err;
}

/** Seeded normal values (seed 0 would mean "unseeded" to tfjs, hence the offset). */
const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed + 1000);

function padding(r: ReturnType<typeof rng>): Pad {
  const k = r(0, 2);
  if (k === 0) return 'same';
  if (k === 1) return 'valid';
  return [[0, 0], [r(0, 2), r(0, 2)], [r(0, 2), r(0, 2)], [0, 0]];
}

/** Output shape of the forward convolution, computed by tfjs itself. */
function outShape(x: number[], filter: number[], strides: number, pad: Pad, dilation = 1, depthwise = false): number[] {
  const f: tf.Tensor4D = tf.zeros(filter as [number, number, number, number]);
  const input: tf.Tensor4D = tf.zeros(x as [number, number, number, number]);
  try {
    const y = depthwise ? tf.depthwiseConv2d(input, f, strides, pad, 'NHWC', dilation) : tf.conv2d(input, f, strides, pad, 'NHWC', dilation);
    y.dispose();
    return y.shape;
  } finally {
    tf.dispose([f, input]);
  }
}

/** A random conv geometry with at least one output position. */
function convCase(r: ReturnType<typeof rng>, depthwise: boolean) {
  for (;;) {
    const fh = r(1, 4);
    const fw = r(1, 4);
    const dilation = depthwise && r(0, 2) === 0 ? r(2, 3) : 1;
    const strides = dilation > 1 ? 1 : r(1, 3);
    const pad = padding(r);
    const x = [r(1, 3), r(fh * dilation, 11), r(fw * dilation, 11), r(1, 5)];
    const filter = [fh, fw, x[3], depthwise ? r(1, 3) : r(1, 6)];
    try {
      const y = outShape(x, filter, strides, pad, dilation, depthwise);
      if (y[1] > 0 && y[2] > 0) return { x, filter, strides, pad, dilation, dy: y };
    } catch {
      // explicit padding larger than the input: draw again
    }
  }
}

/** A 3×3 stride-1 convolution with ≥ 8 channels in and out (multiples of 4): the Winograd path of the SIMD kernels. */
function winogradCase(r: ReturnType<typeof rng>) {
  const pad = padding(r);
  const x = [r(1, 3), r(3, 12), r(3, 12), 4 * r(2, 8)];
  const filter = [3, 3, x[3], 4 * r(2, 8)];
  return { x, filter, strides: 1, pad, dilation: 1, dy: outShape(x, filter, 1, pad) };
}

/** The filter of a dilated convolution written out densely: zeros between the taps. */
function dilatedFilter(w: tf.Tensor4D, d: number): tf.Tensor4D {
  if (d === 1) return w;
  const [fh, fw, c, m] = w.shape;
  const src = w.arraySync();
  const out = tf.buffer([(fh - 1) * d + 1, (fw - 1) * d + 1, c, m]);
  for (let i = 0; i < fh; i++) for (let j = 0; j < fw; j++) for (let a = 0; a < c; a++) for (let b = 0; b < m; b++) out.set(src[i][j][a][b], i * d, j * d, a, b);
  return out.toTensor() as tf.Tensor4D;
}

/**
 * The three builds a kernel can run on: the SIMD kernels with relaxed-SIMD fused multiply-adds (where
 * the engine has them), the plain SIMD kernels, and the fallback on the backend's own kernels.
 */
const PATHS = [
  { path: 'relaxed-SIMD path', simd: true, relaxed: true },
  { path: 'SIMD path', simd: true, relaxed: false },
  { path: 'fallback path', simd: false, relaxed: false },
];
function use({ simd, relaxed }: { simd: boolean; relaxed: boolean }): void {
  useSimdKernels(simd);
  useRelaxedSimd(relaxed);
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) => tf.engine().runKernel(name, inputs, attrs as never) as tf.Tensor;

describe('wasm kernels supplied by tslab-xai', function () {
  this.timeout(120000);

  afterEach(() => use(PATHS[0]));

  it('run the relaxed-SIMD build where the engine has it (Node 20: behind a V8 flag that the engine sets)', () => {
    const major = Number(process.versions.node.split('.')[0]);
    if (major >= 20 && process.arch === 'x64') assert.ok(relaxedSimd() !== null, 'relaxed SIMD did not compile on this Node');
  });

  it('are registered by ready() and reported in kernelsAdded / kernelsReplaced', async () => {
    const info = await ready({ verbose: false });
    if (info.backend !== 'wasm') return;
    for (const k of ['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      assert.ok(info.kernelsAdded.includes(k), `${k} missing from kernelsAdded ${info.kernelsAdded}`);
      assert.ok(tf.getKernel(k, 'wasm'), `${k} not registered`);
    }
    for (const k of ['Conv2DBackpropInput', 'MaxPoolGrad', 'Slice', 'Identity', 'BatchMatMul', 'Conv2D', 'DepthwiseConv2dNative']) assert.ok(info.kernelsReplaced.includes(k), `${k} missing from kernelsReplaced`);
    assert.match(info.reason, /gradient kernels from tslab-xai/);
  });

  for (const p of PATHS) {
    const { path, simd } = p;

    it(`Conv2DBackpropFilter matches cpu on ${CONFIGS} random configurations (+ ${CONFIGS} with 3×3 filters and ≥ 8 channels) (${path})`, async () => {
      use(p);
      const r = rng(simd ? 1 : 2);
      for (let i = 0; i < 2 * CONFIGS; i++) {
        const c = i < CONFIGS ? convCase(r, false) : winogradCase(r);
        const make = () => tf.tidy(() => run('Conv2DBackpropFilter', { x: normal(c.x, i), dy: normal(c.dy, i + 100) }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }));
        await check(`Conv2DBackpropFilter ${JSON.stringify(c)}`, make);
      }
    });

    it(`MaxPoolGrad matches cpu (first maximum of each window, ties at 0 after relu) on ${CONFIGS} configurations (${path})`, async () => {
      use(p);
      const r = rng(simd ? 3 : 4);
      // the first four tile the input exactly or leave rows/columns over (the reference CNN's pools)
      const fixed = [[[2, 8, 8, 4], 2, 'valid'], [[3, 9, 7, 8], 2, 'valid'], [[2, 26, 26, 16], 2, 'valid'], [[2, 13, 13, 32], 2, 'valid']] as const;
      for (let i = 0; i < CONFIGS; i++) {
        const f: [number, number] = i < fixed.length ? [fixed[i][1], fixed[i][1]] : [r(1, 3), r(1, 3)];
        const s: [number, number] = i < fixed.length || r(0, 1) ? [f[0], f[1]] : [r(1, 3), r(1, 3)];
        const pad = i < fixed.length ? fixed[i][2] : r(0, 1) ? 'same' : 'valid';
        const shape = i < fixed.length ? [...fixed[i][0]] : [r(1, 3), r(f[0], 10), r(f[1], 10), r(1, 6)];
        const relu = i % 2 === 0;
        const make = () =>
          tf.tidy(() => {
            const x = relu ? tf.relu(normal(shape, i)) : normal(shape, i);
            const y = tf.maxPool(x as tf.Tensor4D, f, s, pad);
            return tf.grad((z: tf.Tensor) => tf.maxPool(z as tf.Tensor4D, f, s, pad).mul(normal(y.shape, i + 7)).sum())(x);
          });
        await check(`MaxPoolGrad ${JSON.stringify({ shape, f, s, pad, relu })}`, make);
      }
    });

    it(`Sum over leading axes and the per-channel bias Add match cpu (${path})`, async () => {
      use(p);
      const r = rng(simd ? 5 : 6);
      for (let i = 0; i < 12; i++) {
        const shape = [r(1, 5), r(1, 9), r(1, 9), r(1, 19)];
        const k = r(1, 3);
        const axes = Array.from({ length: k }, (_, a) => a);
        await check(`Sum ${shape} over ${axes}`, () => tf.tidy(() => tf.sum(normal(shape, i), axes, i % 2 === 0)));
        await check(`Add bias ${shape}`, () => tf.tidy(() => tf.add(normal(shape, i), normal([shape[3]], i + 1))));
      }
    });
  }

  it('the ReLU gradient (ReluGrad on wasm) matches cpu, NaN and zeros included', async () => {
    const info = await ready({ verbose: false });
    if (info.backend === 'wasm') assert.deepStrictEqual(info.gradientsReplaced, ['Relu', 'Softmax']);
    for (let i = 0; i < 6; i++) {
      const x = () => tf.concat([normal([37 + i], i), tf.tensor1d([0, -0, NaN, Infinity, -Infinity, 1e-30])]);
      await check(`relu gradient ${i}`, () => tf.tidy(() => tf.grad((z: tf.Tensor) => tf.relu(z).mul(normal([43 + i], i + 1)).sum())(x())));
    }
  });

  for (const p of PATHS) {
    const { path, simd } = p;

    it(`Conv2DBackpropInput matches cpu on ${CONFIGS} random configurations (+ ${CONFIGS} with 3×3 filters and ≥ 8 channels) (${path})`, async () => {
      use(p);
      const r = rng(simd ? 7 : 17);
      for (let i = 0; i < 2 * CONFIGS; i++) {
        const c = i < CONFIGS ? convCase(r, false) : winogradCase(r);
        const make = () => tf.tidy(() => run('Conv2DBackpropInput', { dy: normal(c.dy, i), filter: normal(c.filter, i + 100) }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }));
        await check(`Conv2DBackpropInput ${JSON.stringify(c)}`, make);
      }
      // the input gradient of a grey image's first layer (16 and 6 channels back to 1: four pixels at a time)
      for (const [x, filter, pad] of [[[2, 28, 28, 1], [3, 3, 1, 16], 'valid'], [[1, 17, 23, 1], [3, 3, 1, 6], 'same'], [[2, 12, 13, 2], [2, 3, 2, 12], 'valid']] as const) {
        const dy = outShape([...x], [...filter], 1, pad, 1, false);
        const make = () => tf.tidy(() => run('Conv2DBackpropInput', { dy: normal(dy, 7), filter: normal([...filter], 8) }, { strides: 1, pad, dataFormat: 'NHWC', inputShape: x }));
        await check(`Conv2DBackpropInput ${JSON.stringify({ x, filter, pad })}`, make);
      }
    });
  }

  it(`DepthwiseConv2dNativeBackpropInput matches cpu on ${CONFIGS} random configurations (dilation 1–3)`, async () => {
    const r = rng(8);
    for (let i = 0; i < CONFIGS; i++) {
      const c = convCase(r, true);
      const attrs = (filter: number[], dilations: number) => ({ strides: c.strides, pad: c.pad, dilations, inputShape: c.x, filterShape: filter });
      const make = () => tf.tidy(() => run('DepthwiseConv2dNativeBackpropInput', { dy: normal(c.dy, i), filter: normal(c.filter, i + 100) }, attrs(c.filter, c.dilation)));
      const reference = () =>
        tf.tidy(() => {
          const w = dilatedFilter(normal(c.filter, i + 100) as tf.Tensor4D, c.dilation);
          return run('DepthwiseConv2dNativeBackpropInput', { dy: normal(c.dy, i), filter: w }, attrs(w.shape, 1));
        });
      await check(`DepthwiseConv2dNativeBackpropInput ${JSON.stringify(c)}`, make, reference);
    }
  });

  it(`DepthwiseConv2dNativeBackpropFilter matches cpu on ${CONFIGS} random configurations (dilation 1–3)`, async () => {
    const r = rng(9);
    for (let i = 0; i < CONFIGS; i++) {
      const c = convCase(r, true);
      const d = c.dilation;
      const dense = [(c.filter[0] - 1) * d + 1, (c.filter[1] - 1) * d + 1, c.filter[2], c.filter[3]];
      const make = () => tf.tidy(() => run('DepthwiseConv2dNativeBackpropFilter', { x: normal(c.x, i), dy: normal(c.dy, i + 100) }, { strides: c.strides, pad: c.pad, dilations: d, filterShape: c.filter }));
      const reference = () =>
        tf.tidy(() => {
          const full = run('DepthwiseConv2dNativeBackpropFilter', { x: normal(c.x, i), dy: normal(c.dy, i + 100) }, { strides: c.strides, pad: c.pad, dilations: 1, filterShape: dense });
          return tf.stridedSlice(full, [0, 0, 0, 0], dense, [d, d, 1, 1]);
        });
      await check(`DepthwiseConv2dNativeBackpropFilter ${JSON.stringify(c)}`, make, reference);
    }
  });

  it(`UnsortedSegmentSum (the gradient of gather) matches cpu on ${CONFIGS} configurations, ids out of range dropped`, async () => {
    const r = rng(10);
    for (let i = 0; i < CONFIGS; i++) {
      const n = r(1, 30);
      const segments = r(1, 12);
      const rest = Array.from({ length: r(0, 2) }, () => r(1, 5));
      const ids = Array.from({ length: n }, () => (i % 3 === 0 ? r(-2, segments + 1) : r(0, segments - 1)));
      await check(`UnsortedSegmentSum n=${n} segments=${segments} rest=${rest}`, () => tf.tidy(() => tf.unsortedSegmentSum(normal([n, ...rest], i), tf.tensor1d(ids, 'int32'), segments)));
      const rows = r(1, 10);
      const idx = Array.from({ length: r(1, 20) }, () => r(0, rows - 1));
      await check(`gather gradient rows=${rows} idx=${idx.length}`, () =>
        tf.tidy(() => tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d(idx, 'int32')).mul(normal([idx.length, 3], i + 5)).sum())(normal([rows, 3], i))),
      );
    }
  });

  for (const p of PATHS) {
    const { path, simd } = p;

    it(`replacements (Slice, BatchMatMul with transposes, Identity, Cast, GatherV2) match cpu (${path})`, async () => {
      use(p);
      const r = rng(simd ? 11 : 21);
      for (let i = 0; i < 12; i++) {
        const shape = [r(1, 6), r(1, 6), r(1, 6), r(1, 6)];
        const begin = shape.map((s) => r(0, s - 1));
        const size = shape.map((s, a) => r(1, s - begin[a]));
        await check(`Slice ${shape} ${begin} ${size}`, () => tf.tidy(() => tf.slice(normal(shape, i), begin, size)));
        const [m, k, n] = [r(1, 40), r(1, 40), r(1, 40)];
        const [ta, tb] = [i % 2 === 1, i % 4 >= 2];
        await check(`matMul ${m}x${k}x${n} ${ta} ${tb}`, () => tf.tidy(() => tf.matMul(normal(ta ? [k, m] : [m, k], i), normal(tb ? [n, k] : [k, n], i + 1), ta, tb)));
        await check(`clone/cast ${shape}`, () => tf.tidy(() => tf.add(tf.clone(normal(shape, i)), tf.cast(normal(shape, i + 2), 'float32'))));
        const axis = r(0, 3);
        const idx = Array.from({ length: r(1, 6) }, () => r(0, shape[axis] - 1));
        await check(`gather axis ${axis} of ${shape}`, () => tf.tidy(() => tf.gather(normal([...shape.slice(0, 3), 16], i), tf.tensor1d(idx, 'int32'), axis)));
      }
    });
  }

  for (const p of PATHS) {
    const { path, simd } = p;
    it(`forward Conv2D, DepthwiseConv2dNative and their fused forms with 'same' padding match cpu on ${2 * CONFIGS} configurations each (${path})`, async () => {
      use(p);
      const r = rng(simd ? 12 : 13);
      for (let i = 0; i < 2 * CONFIGS; i++) {
        // odd i: depthwise; from CONFIGS on, even i: 3×3 stride 1 with ≥ 8 channels (Winograd)
        const wino = i >= CONFIGS && i % 2 === 0;
        const c = wino ? winogradCase(r) : convCase(r, i % 2 === 1);
        const strides: [number, number] = c.dilation > 1 || wino ? [1, 1] : [r(1, 3), r(1, 3)];
        const x = () => normal(c.x, i) as tf.Tensor4D;
        const w = () => normal(c.filter, i + 1) as tf.Tensor4D;
        const channels = i % 2 === 1 ? c.filter[2] * c.filter[3] : c.filter[3];
        const plain = () => tf.tidy(() => (i % 2 === 1 ? tf.depthwiseConv2d(x(), w(), strides, 'same', 'NHWC', c.dilation) : tf.conv2d(x(), w(), strides, 'same')));
        const fused = () =>
          tf.tidy(() => {
            const args = { x: x(), filter: w(), strides, pad: 'same' as const, dilations: c.dilation, bias: normal([channels], i + 2), activation: 'relu' as const };
            return i % 2 === 1 ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
          });
        await check(`${i % 2 ? 'depthwise' : 'conv'} same ${JSON.stringify({ ...c, strides })}`, plain);
          if (simd && i < 4 && i % 2 === 0) {
            // a [1,1,1,c] bias (the backend's own kernel takes only [c])
            const other = () => tf.tidy(() => tf.fused.conv2d({ x: x(), filter: w(), strides, pad: 'same', bias: normal([1, 1, 1, c.filter[3]], i + 3), activation: 'relu' }));
            await check('fused conv, [1,1,1,c] bias', other);
          }
        await check(`fused ${i % 2 ? 'depthwise' : 'conv'} same ${JSON.stringify({ ...c, strides })}`, fused);
      }
    });
  }

  it('gradients of the models this project uses run on wasm and match cpu', async () => {
    const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
    const models: Array<[string, () => tf.LayersModel, number[]]> = [
      [
        'conv → depthwise-separable conv → avg-pool → batchnorm → dense',
        () =>
          tf.sequential({
            layers: [
              tf.layers.conv2d({ inputShape: [10, 10, 3], filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: seeded(1) }),
              tf.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: seeded(2), pointwiseInitializer: seeded(3) }),
              tf.layers.averagePooling2d({ poolSize: 2 }),
              tf.layers.batchNormalization(),
              tf.layers.flatten(),
              tf.layers.dense({ units: 3, kernelInitializer: seeded(4) }),
            ],
          }),
        [2, 10, 10, 3],
      ],
      [
        'embedding → dense',
        () =>
          tf.sequential({
            layers: [
              tf.layers.embedding({ inputDim: 20, outputDim: 5, inputLength: 6, embeddingsInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 5 }) }),
              tf.layers.flatten(),
              tf.layers.dense({ units: 2, kernelInitializer: seeded(6) }),
            ],
          }),
        [3, 6],
      ],
    ];
    for (const [label, build, inputShape] of models) {
      const input = () => (label.startsWith('embedding') ? tf.tensor2d(Array.from({ length: 18 }, (_, j) => (j * 7) % 20), [3, 6], 'float32') : normal(inputShape, 1));
      const grads = () =>
        tf.tidy(() => {
          const m = build();
          const g = tf.variableGrads(() => (m.apply(input(), { training: true }) as tf.Tensor).square().sum() as tf.Scalar).grads;
          const flat = tf.concat(Object.keys(g).sort().map((k) => g[k].flatten()));
          m.dispose();
          return flat;
        });
      await check(`${label} weight gradients`, grads);
    }
  });

  it('leave no intermediate buffers behind on the backend', () => {
    const x = normal([2, 9, 9, 4], 1);
    const calls: Make[] = [
      () => run('Conv2DBackpropFilter', { x, dy: normal([2, 9, 9, 3], 2) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 4, 3] }),
      () => run('DepthwiseConv2dNativeBackpropFilter', { x, dy: normal([2, 5, 5, 8], 3) }, { strides: 2, pad: 'same', dilations: 1, filterShape: [3, 3, 4, 2] }),
      () => run('DepthwiseConv2dNativeBackpropInput', { dy: normal([2, 5, 5, 8], 3), filter: normal([3, 3, 4, 2], 4) }, { strides: 2, pad: 'same', dilations: 1, inputShape: [2, 9, 9, 4] }),
      () => tf.grad((z: tf.Tensor) => tf.maxPool(z as tf.Tensor4D, 3, 2, 'same').sum())(x),
      () => tf.unsortedSegmentSum(x, tf.tensor1d([0, 3], 'int32'), 2),
    ];
    for (const simd of [true, false]) {
      useSimdKernels(simd);
      for (const call of calls) {
        tf.tidy(call).dispose(); // the first call may build cached constant filters
        const { numTensors, numDataBuffers } = tf.memory();
        tf.tidy(call).dispose();
        assert.strictEqual(tf.memory().numTensors, numTensors);
        assert.strictEqual(tf.memory().numDataBuffers, numDataBuffers);
      }
    }
    x.dispose();
  });
});
