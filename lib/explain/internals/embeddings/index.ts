/** Embeddings of activations (PCA, t-SNE, UMAP) and how faithful they are (trustworthiness, silhouette). */
export { type Points, type PointsInput } from './points';
export { type Embedding } from './embedding';
export { pca, type PcaOptions, type PcaEmbedding } from './pca';
export { topEigen, type EigenPairs } from './symmetricEigen';
export { tsne, klDivergence, type TsneOptions, type TsneEmbedding, type TsneIteration } from './tsne';
export { nearestNeighbours, type Neighbours } from './neighbours';
export { jointProbabilities, conditionalProbabilities, type SparseAffinities } from './affinities';
export { trustworthiness, silhouette, type Silhouette } from './metrics';
export { umap, type UmapOptions, type UmapEmbedding } from './umap';
