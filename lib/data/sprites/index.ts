/** Procedural Pokémon/Digimon sprites for the lecture's background-bias and watermark stories. */
export { SPRITE_CLASSES, type SpriteClass, type CreatureGenes, CLASS_LEANING, sampleGenes, creatureBayesAccuracy } from './genes';
export { SpriteRandom } from './random';
export { drawCreature } from './creature';
export { watermarkBox, stampWatermark } from './watermark';
export * from './generate';
export * from './annotations';
export * from './render';
