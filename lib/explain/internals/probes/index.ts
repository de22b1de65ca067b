/** Probes — what does a layer know? — with Hewitt & Liang's control tasks. */
export * from './probe';
export * from './controlTask';
export * from './reconstruction';
export * from './probingTask';
export * from './layerRepresentations';
export * from './probeLayers';
export * from './linearProbes';
