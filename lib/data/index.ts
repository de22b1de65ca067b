export * from './mnist';
export * from './permutation';
export * from './pixelBox';
export * from './imageFolder';
export * from './sprites';
export * from './text';
export * from './speech';
