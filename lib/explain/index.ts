/** Explanation: shared core, local methods, evaluation (see DESIGN.md). */
export * from './core';
export * from './local';
export * from './evaluate';
export * from './internals';
