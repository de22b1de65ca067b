/** Embeddings of activations (PCA, t-SNE) and how faithful they are (trustworthiness, silhouette). */
export { type Points, type PointsInput } from './points';
export { type Embedding } from './embedding';
export { pca, type PcaOptions, type PcaEmbedding } from './pca';
export { topEigen, type EigenPairs } from './symmetricEigen';
