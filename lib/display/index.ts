export * from './figure';
export * from './sink';
export * from './progress';
