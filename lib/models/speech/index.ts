/** The spoken-digit recognizer (conv + BiLSTM) and its per-layer activations. */
export * from './recognizer';
export * from './layerVectors';
