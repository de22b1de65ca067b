/** Global explanation: feature visualization (objectives, param/, transforms, render, dataset examples). */
export * from './objective';
export * from './objectives';
export * from './penalties';
export * from './realism';
export * from './param';
export * from './transforms';
export { objectiveRunner, modelShapes, type ObjectiveRunner } from './capture';
export * from './yosinski';
export * from './render';
export * from './datasetExamples';
