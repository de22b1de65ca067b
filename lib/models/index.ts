export * from './referenceCnn';
export * from './train';
export * from './graph';
export * from './courseModel';
export * from './generators';
export * from './fusedLstm';
export { fileLoadHandler, fileSaveHandler, loadSavedModels, cachedModels, type CachedModels, type SavedModels } from './modelCache';
export * from './transformer';
export * from './biLstmLm';
