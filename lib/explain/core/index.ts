/**
 * What every explanation method shares: the {@link Attribution} result, the explained model
 * (targets, scores, batches), input gradients, channel reduction, blur and IG baselines.
 */
export * from './attribution';
export * from './blur';
export { type ChannelReduction, reduceChannels } from './channels';
export { type GradientOf } from './gradients';
export * from './baselines';
export { type ExplainScore, type ExplainedScore, type ExplainedScoresOptions, explainedScores, logits } from './explainedModel';
