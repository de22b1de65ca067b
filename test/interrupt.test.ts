/**
 * Kernel › Interrupt through a real `tslab-xai` kernel: test/kernel_session.py starts it with
 * jupyter_client, runs cells and sends SIGINT to the kernel's process group as Jupyter does
 * (KernelManager.interrupt_kernel). One session runs the scenario; each `it` checks one part.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { findJupyterPython } from '../kernel-src/jupyter';
import { installKernel, jupyterEnv } from '../kernel-src/kernelspec';
import { projectRoot } from '../kernel-src/paths';
import { isRethrower } from '../kernel-src/rethrowGuard';
import { clearInterrupt, interruptRequested, pollInterrupt, requestInterrupt, throwIfInterrupted } from '../lib/display/interrupt';

type Step = { code: string; interrupt_after?: number; interrupts?: number; timeout?: number } | { interrupt_idle: number };
type Reply = {
  status: string;
  stdout?: string;
  stderr?: string;
  text?: string[];
  seconds?: number;
  after_interrupt?: number;
  finished_before_interrupt?: boolean;
};

/** Seconds from SIGINT to the kernel's reply that the issue asks for. */
const TARGET_S = 2;

const setup = `import * as xai from 'tslab-xai';
import * as tf from '@tensorflow/tfjs';
await xai.ready({ verbose: false });
const kept = 41 + 1;
const model = xai.referenceCnn({ seed: 1 });
const trainee = xai.referenceCnn({ seed: 2 });
const images = tf.randomUniform([64, 28, 28, 1], 0, 1, 'float32', 1);
const labels = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32');
const two = images.slice(0, 2);
const igOf = (): number[] => { const a = xai.integratedGradients(model, two, { target: 3, steps: 8 }); const v = Array.from(a.values.dataSync()); a.dispose(); return v; };
const reference = igOf();
const depths = () => [tf.engine().state.scopeStack.length, tf.engine().state.gradientDepth, tf.engine().state.kernelDepth].join(',');
console.log('ready', reference.length);`;

/** The cells of the session, by name (their order is the session's order). */
const steps: Record<string, Step> = {
  setup: { code: setup, timeout: 180 },
  before: { code: `const before = tf.memory().numTensors; console.log('before', before);` },
  idle1: { interrupt_idle: 1 },
  afterIdle: { code: `console.log('kept', kept);` },
  // async: 300 epochs × 8 steps would take minutes
  train: { code: `const h = await xai.train(trainee, images, labels, { epochs: 300, batchSize: 8 });`, interrupt_after: 4, timeout: 600 },
  afterTrain: { code: `console.log('kept', kept, 'leaked', tf.memory().numTensors - before, 'depths', depths());` },
  // sync: 64 images × 3000 steps would take minutes
  ig: { code: `const a = xai.integratedGradients(model, images, { target: 3, steps: 3000 });`, interrupt_after: 4, timeout: 600 },
  afterIg: { code: `console.log('kept', kept, 'leaked', tf.memory().numTensors - before, 'depths', depths());` },
  igAgain: { code: `const again = igOf(); console.log('same', again.every((v, i) => v === reference[i]), again.length);` },
  // sync: 64 images × 729 patch positions
  occlusion: { code: `const o = xai.occlusion(model, images, { target: 3, patch: 2, stride: 1 });`, interrupt_after: 4, timeout: 600 },
  afterOcclusion: { code: `console.log('kept', kept, 'leaked', tf.memory().numTensors - before, 'depths', depths());` },
  // awaits something that never checks: after GRACE_MS tslab's own rejection ends the cell
  sleep: { code: `await new Promise((r) => setTimeout(r, 600000));`, interrupt_after: 3, timeout: 60 },
  afterSleep: { code: `console.log('kept', kept);` },
  trainTwice: { code: `const h2 = await xai.train(trainee, images, labels, { epochs: 300, batchSize: 8, quiet: true });`, interrupt_after: 4, interrupts: 2, timeout: 600 },
  idle2: { interrupt_idle: 2 },
  afterTwice: { code: `console.log('kept', kept, 'leaked', tf.memory().numTensors - before);` },
  // more iopub messages in one synchronous run than zeromq sends without the event loop (512)
  prints: { code: `for (let i = 0; i < 20000; i++) console.log('line ' + i);` },
  printsStopped: { code: `for (let i = 0; ; i++) if (i % 200000 === 0) console.log('spin ' + i);`, interrupt_after: 3, timeout: 120 },
  afterPrints: { code: `console.log('kept', kept);` },
  // the wasm backend's Emscripten handlers used to rethrow this and kill the kernel
  rejection: { code: `Promise.reject(new Error('nobody awaits this')); console.log('sent');` },
  pause: { interrupt_idle: 0 },
  afterRejection: { code: `console.log('kept', kept);` },
};

describe('interrupt (lib/display)', () => {
  afterEach(() => clearInterrupt());

  it('throwIfInterrupted throws "<where>: interrupted" only after requestInterrupt, until clearInterrupt', () => {
    clearInterrupt();
    assert.doesNotThrow(() => throwIfInterrupted('occlusion'));
    requestInterrupt();
    assert.strictEqual(interruptRequested(), true);
    assert.throws(() => throwIfInterrupted('occlusion'), /^Error: occlusion: interrupted$/);
    clearInterrupt();
    assert.doesNotThrow(() => throwIfInterrupted('occlusion'));
  });

  it('pollInterrupt lets a SIGINT-like event that arrives while an async loop runs stop it', async () => {
    clearInterrupt();
    setTimeout(() => requestInterrupt(), 30);
    let steps = 0;
    const loop = async () => {
      // an async loop that only awaits resolved promises never lets timers or signals run
      for (;;) {
        await pollInterrupt('loop');
        await Promise.resolve();
        steps++;
        const t = Date.now();
        while (Date.now() - t < 1);
      }
    };
    await assert.rejects(loop(), /^Error: loop: interrupted$/);
    assert.ok(steps > 5 && steps < 1000, `stopped after ${steps} steps`);
  });
});

describe('rethrowGuard', () => {
  it("recognises Emscripten's rethrowing process handlers and nothing else", () => {
    // the two handlers as tfjs-backend-wasm 4.22's glue writes them
    const handlers = [
      'function (ex) { if (!(ex instanceof ExitStatus)) {\n                    throw ex;\n                } }',
      'function (reason) { throw reason; }',
    ].map((src) => new Function(`return ${src}`)());
    assert.deepStrictEqual(handlers.map(isRethrower), [true, true]);
    const others = [(r: unknown) => console.error(r), function (e: unknown) { throw new Error(String(e)); }, 'throw x'];
    assert.deepStrictEqual(others.map(isRethrower), [false, false, false]);
  });
});

describe('Kernel › Interrupt through a real tslab-xai kernel', function () {
  this.timeout(900000);
  const py = findJupyterPython(['jupyter_client']);
  const names = Object.keys(steps);
  const replies: Record<string, Reply> = {};
  let failure = '';

  before(function () {
    if (!py) this.skip();
    installKernel();
    const scenario = { kernel: 'tslab-xai', cwd: projectRoot, startup_timeout: 120, steps: names.map((n) => steps[n]) };
    const r = spawnSync(py as string, [path.join(projectRoot, 'test', 'kernel_session.py')], {
      input: JSON.stringify(scenario),
      encoding: 'utf8',
      env: jupyterEnv(),
      maxBuffer: 64 << 20,
      timeout: 850000,
    });
    if (r.status !== 0) {
      failure = `kernel_session.py failed (${r.status}): ${r.stderr.slice(-2000)}`;
      return;
    }
    const out = JSON.parse(r.stdout) as { steps: Reply[] };
    names.forEach((n, i) => (replies[n] = out.steps[i]));
    const took = ['train', 'ig', 'occlusion', 'sleep', 'trainTwice', 'printsStopped'].map((n) => `${n} ${replies[n]?.after_interrupt?.toFixed(2)} s`);
    console.log(`      SIGINT → error reply: ${took.join(', ')}`);
  });

  const reply = (name: string): Reply => {
    assert.strictEqual(failure, '');
    const r = replies[name];
    assert.ok(r, `no reply for ${name}`);
    return r;
  };
  const okWith = (name: string, pattern: RegExp) => {
    const r = reply(name);
    assert.strictEqual(r.status, 'ok', `${name}: ${r.status} ${r.stderr?.slice(0, 500)}`);
    assert.ok(pattern.test(r.stdout ?? ''), `${name} printed ${JSON.stringify(r.stdout?.slice(0, 500))}`);
  };
  const stopped = (name: string, message: RegExp) => {
    const r = reply(name);
    assert.ok(!r.finished_before_interrupt, `${name} finished before the interrupt; make it longer`);
    assert.strictEqual(r.status, 'error', `${name}: ${r.status}`);
    assert.ok(message.test(r.stderr ?? ''), `${name}: stderr ${JSON.stringify(r.stderr?.slice(0, 500))}`);
    assert.ok((r.after_interrupt ?? Infinity) < TARGET_S, `${name}: reply ${r.after_interrupt} s after SIGINT`);
  };

  it('sets up (model, images, a reference IG) and survives an interrupt while idle', () => {
    okWith('setup', /ready 1568/);
    okWith('before', /before \d+/);
    assert.strictEqual(reply('idle1').status, 'ok');
    okWith('afterIdle', /^kept 42\n$/);
  });

  it('stops `await xai.train(...)` at its next step with "train: interrupted"; variables and tensors survive, nothing leaks', () => {
    stopped('train', /Error: train: interrupted/);
    okWith('afterTrain', /^kept 42 leaked 0 depths 0,0,0\n$/);
  });

  it('stops a synchronous IG call (64 images × 3000 steps); its tensors are freed and the engine state is clean', () => {
    stopped('ig', /interrupted/);
    okWith('afterIg', /^kept 42 leaked 0 depths 0,0,0\n$/);
  });

  it('computes the same Integrated Gradients afterwards (the gradient tape works again)', () => {
    okWith('igAgain', /^same true 1568\n$/);
  });

  it('stops an occlusion sweep and frees its tensors', () => {
    stopped('occlusion', /interrupted/);
    okWith('afterOcclusion', /^kept 42 leaked 0 depths 0,0,0\n$/);
  });

  it('ends a cell awaiting something that never checks (a 10-minute sleep) about 1 s after the interrupt', () => {
    stopped('sleep', /Interrupted asynchronously/);
    assert.ok((reply('sleep').after_interrupt ?? 0) >= 0.9, 'the library gets its grace period first');
    okWith('afterSleep', /^kept 42\n$/);
  });

  it('two interrupts in a row, running or idle, leave the kernel usable', () => {
    stopped('trainTwice', /Error: train: interrupted/);
    assert.strictEqual(reply('idle2').status, 'ok');
    okWith('afterTwice', /^kept 42 leaked 0\n$/);
  });

  it('loses no output of a synchronous cell printing 20,000 lines; an interrupted printing cell shows its error', () => {
    const prints = reply('prints');
    assert.strictEqual(prints.status, 'ok');
    const lines = (prints.stdout ?? '').split('\n').filter(Boolean);
    assert.ok(lines.length === 20000 && lines[19999] === 'line 19999', `${lines.length} lines, the last ${lines[lines.length - 1]}`);
    stopped('printsStopped', /interrupted/);
    assert.ok(/^spin 0\n/.test(reply('printsStopped').stdout ?? ''));
    okWith('afterPrints', /^kept 42\n$/);
  });

  it('survives an unhandled promise rejection in a cell', () => {
    okWith('rejection', /^sent\n$/);
    okWith('afterRejection', /^kept 42\n$/);
  });
});
