/** Inside the network: embeddings of layer activations and probes (see DESIGN.md). */
export * from './embeddings';
export * from './probes';
export * from './attention';
