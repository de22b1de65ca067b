export * from './referenceCnn';
export * from './train';
