export * from './referenceCnn';
export * from './train';
export * from './graph';
export * from './fusedLstm';
