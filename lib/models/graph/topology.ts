/**
 * The order in which a tfjs-layers graph computes its symbolic tensors, as tfjs-layers' own
 * executor walks it: every tensor after the tensors it depends on (iterative depth-first search, so
 * deep graphs do not overflow the stack).
 *
 * @example
 * ```ts
 * const order = topologicalOrder(model.outputs);   // model.inputs first, model.outputs last
 * ```
 */
import { tf } from '../../engine/tf';

/** Symbolic tensors that `fetches` depend on (and `fetches` themselves), each after its inputs. */
export function topologicalOrder(fetches: readonly tf.SymbolicTensor[]): tf.SymbolicTensor[] {
  const sorted: tf.SymbolicTensor[] = [];
  const seen = new Set<number>();
  const stack = fetches.map((t) => ({ t, expanded: false })).reverse();
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (seen.has(top.t.id)) stack.pop();
    else if (top.expanded || top.t.inputs.length === 0) {
      stack.pop();
      seen.add(top.t.id);
      sorted.push(top.t);
    } else {
      top.expanded = true;
      for (const input of top.t.inputs) if (!seen.has(input.id)) stack.push({ t: input, expanded: false });
    }
  }
  return sorted;
}
