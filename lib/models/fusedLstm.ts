/**
 * A drop-in for tfjs's `tf.layers.lstm` (same config, same weights, same numbers) for the LSTM of
 * Hochreiter & Schmidhuber (1997): one matrix product projects the input of every time step, and
 * the recurrence runs forward and backward as one wasm kernel each (`lib/engine/kernels/lstm.ts`:
 * per step one product h·R for all four gates and one fused pass of gate arithmetic). tfjs's own
 * layer runs ~30 small kernels per step forward and as many backward; this runs ~10 per sequence.
 * Inside `tf.layers.bidirectional` the backward copy is the fused layer too (tfjs rebuilds it from
 * the class name). Cases the fused path does not cover — masks, initial or returned states, dropout,
 * stateful layers, activations other than tanh / sigmoid, units not a multiple of 4, or a backend
 * without the kernels — run tfjs's own code unchanged.
 *
 * @example
 * ```ts
 * const layer = tf.layers.bidirectional({ layer: fusedLstm({ units: 64, recurrentActivation: 'sigmoid' }) as tf.RNN });
 * ```
 */
import { tf } from '../engine/tf';
import { fusedSequenceCall } from './fusedRecurrent';

type LstmLayer = ReturnType<typeof tf.layers.lstm>;
type LstmArgs = Parameters<typeof tf.layers.lstm>[0];

/** tfjs's LSTM class, from its serialization registry (tfjs does not export it; building one would use up a layer name). */
const LstmBase = tf.serialization.SerializationMap.getMap().classNameMap.LSTM[0] as unknown as new (args: LstmArgs) => LstmLayer;

/**
 * The LSTM over `x` [B, T, F] with kernel W [F, 4U], recurrent kernel R [U, 4U] and bias b [4U]:
 * the last state h_T [B, U], or every state [B, T, U] with `returnSequences` (in processing order,
 * as tfjs's layer with `goBackwards`).
 */
export function lstmSequence(x: tf.Tensor3D, w: tf.Tensor2D, r: tf.Tensor2D, b: tf.Tensor1D, goBackwards: boolean, returnSequences: boolean): tf.Tensor {
  const [batch, steps, features] = x.shape;
  const units = r.shape[0];
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, wk, rk, bias] = args as tf.Tensor[];
    const save = args[4] as tf.GradSaveFunc;
    // time-major input, row t·B + i is sequence i at time t (the kernel walks it backwards if asked)
    const xt = xs.transpose([1, 0, 2]).reshape([steps * batch, features]);
    const zx = tf.add(tf.matMul(xt, wk), bias);
    const [hs, cs, gates, tanhC] = tf.engine().runKernel('TslabXaiLstmForward', { zx, r: rk }, { batch, backwards: goBackwards } as never) as tf.Tensor[];
    save([xt, wk, rk, hs, cs, gates, tanhC]);
    const value = returnSequences ? hs.transpose([1, 0, 2]) : hs.slice([steps - 1, 0, 0], [1, batch, units]).reshape([batch, units]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xt2, wk2, rk2, hs2, cs2, gates2, tanhC2] = saved;
        const d = returnSequences ? (dy as tf.Tensor).transpose([1, 0, 2]) : (dy as tf.Tensor);
        const [dZ, dR] = tf.engine().runKernel('TslabXaiLstmBackward', { gates: gates2, hs: hs2, cs: cs2, tanhC: tanhC2, r: rk2, dy: d }, { backwards: goBackwards } as never) as tf.Tensor[];
        const dx = tf.matMul(dZ, wk2, false, true).reshape([steps, batch, features]).transpose([1, 0, 2]);
        return [dx, tf.matMul(xt2, dZ, true, false), dR, tf.sum(dZ, 0)];
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
    return fusedSequenceCall(this, inputs, kwargs, 'TslabXaiLstmForward', 4, lstmSequence) ?? super.call(inputs, kwargs);
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
