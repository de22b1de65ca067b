export * from './universalTags';
export * from './brown';
export * from './vocabulary';
export * from './silverEntities';
export * from './unknownWords';
export * from './wordVectors';
