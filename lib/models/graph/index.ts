/** A tf.LayersModel seen layer by layer: splitting at a layer, capturing activations. */
export { layerNames, splitAtLayer, type LayerSplit, type SplitRun } from './layerSplit';
export { activations, type LayerActivation, type ActivationsOptions } from './activations';
