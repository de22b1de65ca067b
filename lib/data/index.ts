export * from './mnist';
export * from './permutation';
export * from './imageFolder';
export * from './sprites';
