export * from './mnist';
export * from './imageFolder';
export * from './sprites';
