export * from './attribution';
export * from './blur';
export { type ChannelReduction, reduceChannels } from './channels';
export { type GradientOf } from './gradients';
export * from './occlusion';
export * from './saliency';
export * from './gradientXInput';
