/**
 * Positional heads as a table (Clark et al. 2019, "What does BERT look at?", arXiv:1906.04341):
 * per layer and head the mean attention on the previous token, the next token, itself, the first
 * token ([CLS]) and the last token, with the uniform-attention baseline for the same sentence
 * lengths as the last row, so every share stands beside what 1/t would give.
 */
import type { Figure } from '../display/figure';
import { OFFSET_TARGETS, type AttentionOffsets } from '../explain/internals/attention';
import { table } from './table';

/** Options of {@link attentionOffsetsTable}. */
export interface AttentionOffsetsTableOptions {
  title?: string;
  /** Names of the layers (default 0, 1, …). */
  layerNames?: readonly string[];
  /** Decimals (default 3). */
  digits?: number;
}

/**
 * The shares of {@link attentionOffsets} per layer × head, the uniform baseline as the last row.
 *
 * @example
 * ```ts
 * show(attentionOffsetsTable(attentionOffsets(sentences.map((ids) => bert.forward(ids).attention))));
 * ```
 */
export function attentionOffsetsTable(offsets: AttentionOffsets, options: AttentionOffsetsTableOptions = {}): Figure {
  const fn = 'attentionOffsetsTable';
  if (!offsets || typeof offsets !== 'object' || !offsets.shares || !offsets.uniform) throw new Error(`${fn}: offsets must be the result of attentionOffsets; got ${offsets === null ? 'null' : typeof offsets}`);
  const names = options.layerNames ?? Array.from({ length: offsets.layers }, (_, l) => String(l));
  if (names.length !== offsets.layers) throw new Error(`${fn}: options.layerNames has ${names.length} names but the offsets have ${offsets.layers} layers; expected one per layer`);
  const records: Record<string, unknown>[] = [];
  for (let l = 0; l < offsets.layers; l++) {
    for (let h = 0; h < offsets.heads; h++) {
      const r: Record<string, unknown> = { layer: names[l], head: h };
      for (const k of OFFSET_TARGETS) r[k] = offsets.shares[k][l][h];
      records.push(r);
    }
  }
  const base: Record<string, unknown> = { layer: 'uniform attention (baseline)', head: '—' };
  for (const k of OFFSET_TARGETS) base[k] = offsets.uniform[k];
  records.push(base);
  const lengths = offsets.lengths;
  const title =
    options.title ??
    `mean attention by position (Clark et al. 2019): ${offsets.sentences} sentences of ${Math.min(...lengths)}–${Math.max(...lengths)} tokens; previous = offset −1, next = +1, first = [CLS], last = [SEP]`;
  const f = table(records, { title, digits: options.digits ?? 3, columns: ['layer', 'head', ...OFFSET_TARGETS] });
  return { ...f, info: { ...f.info, best: offsets.best, uniform: offsets.uniform } };
}
