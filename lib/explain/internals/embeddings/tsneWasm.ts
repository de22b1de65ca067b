/**
 * The Barnes-Hut t-SNE iterations of `tsne.c` (compiled by `build.sh` into `tsneBinary.ts`) as a
 * small machine: the map, its momentum and gains, and the sparse P live on the module's own
 * memory; {@link TsneMachine.iterate} runs a number of gradient steps there.
 *
 * @example
 * ```ts
 * const m = tsneMachine(P, y0);
 * m.iterate(50, { exaggeration: 12, momentum: 0.5, learningRate: 200, theta: 0.5 });
 * m.positions(); // Float64Array [x0, y0, x1, y1, …]
 * ```
 */
import { tsneBinary } from './tsneBinary';
import type { SparseAffinities } from './affinities';

interface TsneExports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  tsne_iterate(n: number, y: number, update: number, gains: number, rowStart: number, cols: number, vals: number, iters: number,
    exaggeration: number, momentum: number, learningRate: number, theta: number, nodes: number, maxNodes: number, stack: number, grad: number,
    cells: number, child: number, scratch: number): number;
}

/** Step parameters of one phase of the optimization. */
export interface StepParameters {
  exaggeration: number;
  momentum: number;
  learningRate: number;
  theta: number;
}

/** A t-SNE map being optimized on the wasm module. */
export interface TsneMachine {
  /** Runs `iterations` steps; returns Z = Σ_{i≠j} 1/(1 + ‖y_i − y_j‖²) of the last one. */
  iterate(iterations: number, step: StepParameters): number;
  /** Zeroes the momentum and resets the gains to 1 (a new phase, as scikit-learn does). */
  resetMomentum(): void;
  /** A copy of the map, [x0, y0, x1, y1, …]. */
  positions(): Float64Array;
}

let compiled: WebAssembly.Module | undefined;
const NODE_BYTES = 48;
const CELL_BYTES = 16;

/** Loads a fresh instance (its own memory) holding `P` and the initial map `y0` (2 per point). */
export function tsneMachine(P: SparseAffinities, y0: Float64Array): TsneMachine {
  compiled ??= new WebAssembly.Module(Buffer.from(tsneBinary, 'base64'));
  const wasm = new WebAssembly.Instance(compiled, {}).exports as unknown as TsneExports;
  const n = P.count;
  const nnz = P.vals.length;
  let top = ((wasm.__heap_base.value as number) + 15) & ~15;
  const take = (bytes: number) => {
    const at = top;
    top = (top + bytes + 15) & ~15;
    return at;
  };
  const y = take(16 * n);
  const update = take(16 * n);
  const gains = take(16 * n);
  const grad = take(16 * n);
  const rowStart = take(4 * (n + 1));
  const cols = take(4 * nnz);
  const vals = take(8 * nnz);
  const stack = take(4 * 1024);
  const nodesAt = top;
  let maxNodes = 0;
  let cellsAt = 0;
  let childAt = 0;
  let scratchAt = 0;
  const reserve = (nodes: number) => {
    cellsAt = nodesAt + nodes * NODE_BYTES;
    childAt = cellsAt + nodes * CELL_BYTES;
    scratchAt = childAt + nodes * 4;
    const need = scratchAt + 4 * (6 * nodes + 2 * n + 16);
    const have = wasm.memory.buffer.byteLength;
    if (need > have) wasm.memory.grow(Math.ceil((need - have) / 65536));
    maxNodes = nodes;
  };
  reserve(4 * n + 1024);
  const mem = () => wasm.memory.buffer;
  new Float64Array(mem(), y, 2 * n).set(y0);
  new Int32Array(mem(), rowStart, n + 1).set(P.rowStart);
  new Int32Array(mem(), cols, nnz).set(P.cols);
  new Float64Array(mem(), vals, nnz).set(P.vals);
  const machine: TsneMachine = {
    resetMomentum() {
      new Float64Array(mem(), update, 2 * n).fill(0);
      new Float64Array(mem(), gains, 2 * n).fill(1);
    },
    iterate(iterations, s) {
      // one step per call: V8 optimizes a wasm function on a later call, never inside a running one
      let z = 0;
      for (let it = 0; it < iterations; it++) {
        z = wasm.tsne_iterate(n, y, update, gains, rowStart, cols, vals, 1, s.exaggeration, s.momentum, s.learningRate, s.theta, nodesAt, maxNodes, stack, grad, cellsAt, childAt, scratchAt);
        if (z < 0) {
          reserve(maxNodes * 2); // the tree outgrew its nodes: more room, then the same step again
          it--;
        }
      }
      return z;
    },
    positions: () => new Float64Array(mem(), y, 2 * n).slice(),
  };
  machine.resetMomentum();
  return machine;
}
