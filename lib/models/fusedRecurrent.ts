/**
 * What the fused recurrent layers ({@link FusedLstm}, {@link FusedGru}) share: the test of whether a call can take the fused
 * sequence kernel (no masks, states, dropout or stateful use; tanh / sigmoid activations; units a multiple of 4; a float32
 * [batch, time, features] input; the kernel registered on the current backend) and the call itself. Anything else goes to
 * tfjs's own layer, so the fused layers are drop-in replacements (Hochreiter & Schmidhuber 1997; Cho et al. 2014).
 *
 * @example
 * ```ts
 * call(inputs, kwargs) { return fusedSequenceCall(this, inputs, kwargs, 'TslabXaiLstmForward', 4, lstmSequence) ?? super.call(inputs, kwargs); }
 * ```
 */
import { tf } from '../engine/tf';

/** The parts of tfjs's recurrent cell the fused path reads (tfjs does not type them publicly). */
export interface CellInternals {
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

/** A fused sequence function: x [b, t, f], kernel, recurrent kernel, bias → outputs (all steps, or the last). */
export type SequenceFunction = (x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D, goBackwards: boolean, returnSequences: boolean) => tf.Tensor;

/**
 * `sequence(…)` on the layer's weights when the fused path applies to this call (see the module docs), else undefined (the
 * caller then runs tfjs's own `call`). `gates` is the number of gate blocks in the bias (4 for an LSTM, 3 for a GRU).
 */
export function fusedSequenceCall(layer: unknown, inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict, kernelName: string, gates: number, sequence: SequenceFunction): tf.Tensor | undefined {
  const self = layer as { cell: CellInternals; stateful: boolean; returnState: boolean; returnSequences: boolean; goBackwards: boolean };
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
    tf.getKernel(kernelName, tf.getBackend()) !== undefined;
  if (!fused) return undefined;
  return tf.tidy(() => {
    const bias = cell.useBias && cell.bias ? cell.bias.read() : tf.zeros([gates * cell.units]);
    return sequence(x as tf.Tensor3D, cell.kernel.read() as tf.Tensor2D, cell.recurrentKernel.read() as tf.Tensor2D, bias as tf.Tensor1D, self.goBackwards, self.returnSequences);
  });
}
