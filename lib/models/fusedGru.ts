/**
 * A drop-in for tfjs's `tf.layers.gru` (same config, same weights, same numbers) for the GRU of
 * Cho et al. (2014, "Learning phrase representations using RNN encoder-decoder for statistical
 * machine translation"), as tfjs 4.22 computes it (the reset gate multiplies h before the product
 * with the recurrent kernel; tfjs has no `resetAfter`): one matrix product projects the input of
 * every time step, and the recurrence runs forward and backward as one wasm kernel each
 * (`lib/engine/kernels/gru.ts`). tfjs's own layer runs ~20 small kernels per step forward and as
 * many backward. Inside `tf.layers.bidirectional` the backward copy is the fused layer too (tfjs
 * rebuilds it from the class name). Cases the fused path does not cover — masks, initial or
 * returned states, dropout, stateful layers, activations other than tanh / sigmoid (tfjs's default
 * recurrent activation is hardSigmoid: pass `recurrentActivation: 'sigmoid'`), units not a multiple
 * of 4, or a backend without the kernels — run tfjs's own code unchanged.
 *
 * @example
 * ```ts
 * const layer = tf.layers.bidirectional({ layer: fusedGru({ units: 64, recurrentActivation: 'sigmoid' }) as tf.RNN });
 * ```
 */
import { tf } from '../engine/tf';
import { fusedSequenceCall } from './fusedRecurrent';

type GruLayer = ReturnType<typeof tf.layers.gru>;
type GruArgs = Parameters<typeof tf.layers.gru>[0];

/** tfjs's GRU class, from its serialization registry (tfjs does not export it; building one would use up a layer name). */
const GruBase = tf.serialization.SerializationMap.getMap().classNameMap.GRU[0] as unknown as new (args: GruArgs) => GruLayer;

/**
 * The GRU over `x` [B, T, F] with kernel W [F, 3U], recurrent kernel R [U, 3U] and bias b [3U]
 * (gate order z, r, h): the last state h_T [B, U], or every state [B, T, U] with `returnSequences`
 * (in processing order, as tfjs's layer with `goBackwards`).
 *
 * @example
 * ```ts
 * const h = gruSequence(x, w, r, b, false, true);   // [B, T, U]
 * ```
 */
export function gruSequence(x: tf.Tensor3D, w: tf.Tensor2D, r: tf.Tensor2D, b: tf.Tensor1D, goBackwards: boolean, returnSequences: boolean): tf.Tensor {
  const [batch, steps, features] = x.shape;
  const units = r.shape[0];
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, wk, rk, bias] = args as tf.Tensor[];
    const save = args[4] as tf.GradSaveFunc;
    // time-major input, row t·B + i is sequence i at time t (the kernel walks it backwards if asked)
    const xt = xs.transpose([1, 0, 2]).reshape([steps * batch, features]);
    const zx = tf.add(tf.matMul(xt, wk), bias);
    const [hs, gates] = tf.engine().runKernel('TslabXaiGruForward', { zx, r: rk }, { batch, backwards: goBackwards } as never) as tf.Tensor[];
    save([xt, wk, rk, hs, gates]);
    const value = returnSequences ? hs.transpose([1, 0, 2]) : hs.slice([steps - 1, 0, 0], [1, batch, units]).reshape([batch, units]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xt2, wk2, rk2, hs2, gates2] = saved;
        const d = returnSequences ? (dy as tf.Tensor).transpose([1, 0, 2]) : (dy as tf.Tensor);
        const [dZ, dR] = tf.engine().runKernel('TslabXaiGruBackward', { gates: gates2, hs: hs2, r: rk2, dy: d }, { backwards: goBackwards } as never) as tf.Tensor[];
        const dx = tf.matMul(dZ, wk2, false, true).reshape([steps, batch, features]).transpose([1, 0, 2]);
        return [dx, tf.matMul(xt2, dZ, true, false), dR, tf.sum(dZ, 0)];
      },
    };
  });
  return run(x, w, r, b);
}

/** tfjs's GRU layer with the fused sequence path on backends that have the GRU kernels. */
export class FusedGru extends GruBase {
  /** Registered with tfjs's serialization, so `bidirectional` rebuilds its backward copy as this class. */
  static className = 'TslabXaiFusedGru';

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor | tf.Tensor[] {
    return fusedSequenceCall(this, inputs, kwargs, 'TslabXaiGruForward', 3, gruSequence) ?? super.call(inputs, kwargs);
  }
}
tf.serialization.registerClass(FusedGru as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/**
 * `tf.layers.gru(args)` with the fused path (see {@link FusedGru}).
 *
 * @example
 * ```ts
 * const m = tf.sequential({ layers: [fusedGru({ units: 64, recurrentActivation: 'sigmoid', inputShape: [50, 40] }), tf.layers.dense({ units: 10 })] });
 * ```
 */
export function fusedGru(args: GruArgs): GruLayer {
  return new FusedGru(args);
}
