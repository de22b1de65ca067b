/** Inside the network: embeddings of layer activations (see DESIGN.md). */
export * from './embeddings';
