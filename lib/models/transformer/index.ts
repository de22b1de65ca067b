/** The tiny BERT: encoder blocks that return attention, built from tfjs layers (see DESIGN.md). */
export * from './positionEmbedding';
export * from './encoderLayer';
export * from './tinyBert';
export * from './maskedLm';
export * from './courseBert';
