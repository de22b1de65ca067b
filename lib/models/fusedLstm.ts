/**
 * A drop-in for tfjs's `tf.layers.lstm` (same config, same weights, same numbers) that runs a whole
 * sequence with one matrix product for the input projection of every time step, one product per
 * step for the recurrent part of all four gates, and the fused gate kernels of
 * `lib/engine/kernels/lstmCell.ts` forward and backward (Hochreiter & Schmidhuber 1997). tfjs's
 * own layer runs ~30 small kernels per step forward and as many backward. Inside
 * `tf.layers.bidirectional` the backward copy is the fused layer too (tfjs rebuilds it from the
 * class name). Cases the fused path does not cover — masks, initial or returned states, dropout,
 * stateful layers, activations other than tanh / sigmoid, units not a multiple of 4, or a backend
 * without the kernels — run tfjs's own code unchanged.
 *
 * @example
 * ```ts
 * const layer = tf.layers.bidirectional({ layer: fusedLstm({ units: 64, recurrentActivation: 'sigmoid' }) as tf.RNN });
 * ```
 */
import { tf } from '../engine/tf';

type LstmLayer = ReturnType<typeof tf.layers.lstm>;
type LstmArgs = Parameters<typeof tf.layers.lstm>[0];

interface CellInternals {
  kernel: { read(): tf.Tensor };
  recurrentKernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor };
  useBias: boolean;
  units: number;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
}

const LstmBase = (tf.layers.lstm({ units: 1 }) as object).constructor as new (args: LstmArgs) => LstmLayer;

/**
 * The LSTM over `x` [B, T, F] with kernel W [F, 4U], recurrent kernel R [U, 4U] and bias b [4U]:
 * the last state h_T [B, U], or every state [B, T, U] with `returnSequences` (in processing order,
 * as tfjs's layer with `goBackwards`).
 */
export function lstmSequence(x: tf.Tensor3D, w: tf.Tensor2D, r: tf.Tensor2D, b: tf.Tensor1D, goBackwards: boolean, returnSequences: boolean): tf.Tensor {
  const [batch, steps, features] = x.shape;
  const units = r.shape[0];
  const cell = (z: tf.Tensor, cPrev: tf.Tensor) => tf.engine().runKernel('TslabXaiLstmCell', { z, cPrev }) as tf.Tensor[];
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, wk, rk, bias] = args as tf.Tensor[];
    const save = args[4] as tf.GradSaveFunc;
    // time-major input, row t·B + i is sequence i at time t; with goBackwards, step s reads time T−1−s
    const time = (s: number) => (goBackwards ? steps - 1 - s : s);
    const xt = xs.transpose([1, 0, 2]).reshape([steps * batch, features]);
    const zx = tf.add(tf.matMul(xt, wk), bias);
    let h: tf.Tensor = tf.zeros([batch, units]);
    let c: tf.Tensor = tf.zeros([batch, units]);
    const hs: tf.Tensor[] = [];
    // per time t (not per step): the state before t, the activated gates and tanh of the new cell
    const hPrev: tf.Tensor[] = new Array(steps);
    const cPrev: tf.Tensor[] = new Array(steps);
    const gates: tf.Tensor[] = new Array(steps);
    const tanhC: tf.Tensor[] = new Array(steps);
    for (let s = 0; s < steps; s++) {
      const t = time(s);
      const z = tf.add(zx.slice([t * batch, 0], [batch, 4 * units]), tf.matMul(h, rk));
      const [g, c1, tc, h1] = cell(z, c);
      hPrev[t] = h;
      cPrev[t] = c;
      gates[t] = g;
      tanhC[t] = tc;
      hs.push(h1);
      h = h1;
      c = c1;
    }
    save([xt, wk, rk, tf.concat(hPrev), tf.concat(cPrev), tf.concat(gates), tf.concat(tanhC)]);
    const value = returnSequences ? tf.stack(hs, 1) : h;
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xt2, wk2, rk2, hp, cp, gs, tcs] = saved;
        const rows = (m: tf.Tensor, t: number) => m.slice([t * batch, 0], [batch, m.shape[1] as number]);
        const dyt = returnSequences ? (dy as tf.Tensor).transpose([1, 0, 2]).reshape([steps * batch, units]) : undefined;
        let dh: tf.Tensor = returnSequences ? tf.zeros([batch, units]) : (dy as tf.Tensor);
        let dc: tf.Tensor = tf.zeros([batch, units]);
        const dzs: tf.Tensor[] = new Array(steps);
        for (let s = steps - 1; s >= 0; s--) {
          const t = time(s);
          const dht = dyt ? tf.add(dh, rows(dyt, s)) : dh;
          const [dz, dcPrev] = tf.engine().runKernel('TslabXaiLstmCellGrad', { gates: rows(gs, t), cPrev: rows(cp, t), tanhC: rows(tcs, t), dh: dht, dc }) as tf.Tensor[];
          dzs[t] = dz;
          dc = dcPrev;
          if (s > 0) dh = tf.matMul(dz, rk2, false, true);
        }
        const dZ = tf.concat(dzs);
        const dx = tf.matMul(dZ, wk2, false, true).reshape([steps, batch, features]).transpose([1, 0, 2]);
        return [dx, tf.matMul(xt2, dZ, true, false), tf.matMul(hp, dZ, true, false), tf.sum(dZ, 0)];
      },
    };
  });
  return run(x, w, r, b);
}

/** tfjs's LSTM layer with the fused sequence path on backends that have the LSTM cell kernels. */
export class FusedLstm extends LstmBase {
  /** Registered with tfjs's serialization, so `bidirectional` rebuilds its backward copy as this class. */
  static className = 'TslabXaiFusedLstm';

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as { cell: CellInternals; stateful: boolean; returnState: boolean; returnSequences: boolean; goBackwards: boolean };
    const cell = self.cell;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const fused =
      (!Array.isArray(inputs) || inputs.length === 1) &&
      kwargs?.mask == null &&
      kwargs?.initialState == null &&
      !self.stateful &&
      !self.returnState &&
      cell.dropout === 0 &&
      cell.recurrentDropout === 0 &&
      cell.units % 4 === 0 &&
      cell.activation.getClassName() === 'tanh' &&
      cell.recurrentActivation.getClassName() === 'sigmoid' &&
      x.rank === 3 &&
      x.dtype === 'float32' &&
      tf.getKernel('TslabXaiLstmCell', tf.getBackend()) !== undefined;
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const bias = cell.useBias && cell.bias ? cell.bias.read() : tf.zeros([4 * cell.units]);
      return lstmSequence(x as tf.Tensor3D, cell.kernel.read() as tf.Tensor2D, cell.recurrentKernel.read() as tf.Tensor2D, bias as tf.Tensor1D, self.goBackwards, self.returnSequences);
    });
  }
}
tf.serialization.registerClass(FusedLstm as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/**
 * `tf.layers.lstm(args)` with the fused path (see {@link FusedLstm}).
 *
 * @example
 * ```ts
 * const m = tf.sequential({ layers: [fusedLstm({ units: 64, recurrentActivation: 'sigmoid', inputShape: [50, 40] }), tf.layers.dense({ units: 10 })] });
 * ```
 */
export function fusedLstm(args: LstmArgs): LstmLayer {
  return new FusedLstm(args);
}
