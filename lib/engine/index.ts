/**
 * Makes TensorFlow.js ready: tfjs-node › wasm (plus the gradient kernels tslab-xai supplies) › cpu.
 *
 * @example
 * ```ts
 * const info = await ready();          // { backend: 'wasm', reason: 'tfjs-node is not installed …' }
 * await ready({ backend: 'cpu' });     // only on request: ~1000× slower than PyTorch to train
 * ```
 */
import * as path from 'path';
import { tf } from './tf';
import { registerWasmKernels } from './kernels';
import { simdKernels, usingRelaxedSimd } from './kernels/simd/simdKernels';
import { registerDilatedGradients } from './gradients';

/** Which backend tslab-xai can run on. `node` is `@tensorflow/tfjs-node` (native libtensorflow). */
export type BackendName = 'node' | 'wasm' | 'cpu';

/** What {@link ready} chose and why. */
export interface EngineInfo {
  /** The backend now active. */
  backend: BackendName;
  /** tfjs's own name for it (`tensorflow`, `wasm`, `cpu`). */
  tfBackend: string;
  /** One line that says why this backend was chosen. */
  reason: string;
  /** Kernels tslab-xai registered for this backend (gradients the backend lacks). */
  kernelsAdded: string[];
  /** The backend's own kernels tslab-xai replaced with faster (or correct) ones. */
  kernelsReplaced: string[];
  /** tfjs gradients tslab-xai registered in place of tfjs's (same values, fewer kernels on wasm). */
  gradientsReplaced: string[];
  /** Whether the wasm backend runs SIMD code. */
  simd?: boolean;
  /** Whether tslab-xai's kernels run their relaxed-SIMD build (fused multiply-add; see `relaxedSimd` in lib/engine/kernels/simd). */
  relaxedSimd?: boolean;
}

/** Options of {@link ready}. */
export interface ReadyOptions {
  /** Ask for one backend; if it cannot load, `ready` throws an error that names it. */
  backend?: BackendName;
  /** Print the one-line note about the chosen backend (default: true). */
  verbose?: boolean;
}

const TF_NAMES: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };
let current: EngineInfo | undefined;

function loadNode(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require('@tensorflow/tfjs-node');
    return undefined;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    return /Cannot find module '@tensorflow\/tfjs-node'/.test(msg)
      ? 'tfjs-node is not installed'
      : `tfjs-node did not load (${msg})`;
  }
}

async function activate(name: BackendName): Promise<EngineInfo | string> {
  const tfName = TF_NAMES[name];
  if (name === 'node') {
    const why = loadNode();
    if (why) return why;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(dir + path.sep);
  }
  if (name === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  let ok = false;
  try {
    ok = await tf.setBackend(tfName);
  } catch (e) {
    return `backend '${tfName}' failed to initialise (${(e as Error).message})`;
  }
  if (!ok) return `backend '${tfName}' failed to initialise`;
  await tf.ready();
  registerDilatedGradients(); // every backend: Conv2D / DepthwiseConv2dNative gradients with dilation > 1
  const { added: kernelsAdded, replaced: kernelsReplaced, gradients: gradientsReplaced } = name === 'wasm' ? registerWasmKernels() : { added: [], replaced: [], gradients: [] };
  if (name === 'cpu') quietCpuBanner();
  return {
    backend: name,
    tfBackend: tfName,
    reason: '',
    kernelsAdded,
    kernelsReplaced,
    gradientsReplaced,
    simd: name === 'wasm' ? Boolean(tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) : undefined,
    relaxedSimd: name === 'wasm' ? usingRelaxedSimd() && simdKernels(tf.backend()) !== undefined : undefined,
  };
}

/** tfjs's cpu backend prints a banner suggesting tfjs-node on first use; ready() already said why. */
function quietCpuBanner(): void {
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (b && 'firstUse' in b) b.firstUse = false;
}

/**
 * Makes tfjs ready and reports the backend it chose and why.
 *
 * Order without a request: tfjs-node when it loads (native, multi-threaded), otherwise the wasm
 * backend with SIMD plus the gradient kernels tslab-xai supplies (`Conv2DBackpropFilter`,
 * `UnsortedSegmentSum`, `DepthwiseConv2dNativeBackpropFilter/Input`, and the fused `AdamUpdate`,
 * `ReluGrad`), faster or corrected versions of some of the backend's own kernels (see
 * `kernelsReplaced`), and the pure-JavaScript cpu backend only as a last resort. Calling it again
 * returns the same answer unless a different backend is requested.
 *
 * @param options - `backend` to insist on one; `verbose: false` to skip the one-line note.
 * @returns what was chosen and why.
 * @throws Error naming the backend when a requested backend cannot load.
 */
export async function ready(options: ReadyOptions = {}): Promise<EngineInfo> {
  const { backend, verbose = true } = options;
  if (backend !== undefined && !(backend in TF_NAMES)) {
    throw new Error(`ready: options.backend must be one of ${Object.keys(TF_NAMES).join(', ')}; got '${String(backend)}'`);
  }
  if (current && (backend === undefined || backend === current.backend) && tf.getBackend() === current.tfBackend) {
    return current;
  }
  let info: EngineInfo | string;
  if (backend) {
    info = await activate(backend);
    if (typeof info === 'string') throw new Error(`ready: the requested backend '${backend}' cannot load: ${info}`);
    info.reason = `requested with { backend: '${backend}' }`;
  } else {
    const notes: string[] = [];
    info = await activate('node');
    if (typeof info === 'string') {
      notes.push(info);
      info = await activate('wasm');
      if (typeof info === 'string') {
        notes.push(info);
        info = await activate('cpu');
        if (typeof info === 'string') throw new Error(`ready: no backend could load: ${notes.concat(info).join('; ')}`);
        info.reason = `${notes.join('; ')}; using the pure-JavaScript cpu backend (slow)`;
      } else {
        info.reason = `${notes[0]}; using wasm${info.simd ? ' with SIMD' : ''}${info.relaxedSimd ? ' (relaxed-SIMD fused multiply-add)' : ''} + ${info.kernelsAdded.length} gradient kernels from tslab-xai (and ${info.kernelsReplaced.length} of its own kernels replaced: faster, or corrected)`;
      }
    } else {
      info.reason = 'tfjs-node loaded (native TensorFlow)';
    }
  }
  current = info;
  if (verbose) console.log(`tslab-xai: backend ${info.backend} — ${info.reason}`);
  return info;
}

/** The engine state from the last {@link ready} call, or undefined before it. */
export function engineInfo(): EngineInfo | undefined {
  return current;
}

export { tf };
export { layerNorm } from './ops/layerNorm';
export { sparseSoftmaxCrossEntropy } from './ops/sparseSoftmaxCrossEntropy';
