export * from './lime';
export * from './slic';
export * from './ridge';
export { type LimeFill } from './samples';
