/** Self-checks for homework notebooks: compare a student's result with the library's on fresh inputs. */
export * from './result';
export * from './compare';
export * from './answers';
export * from './freshDigits';
export * from './homework/hw1Local';
export * from './homework/hw2GlobalInternals';
export * from './homework/hw3Attention';
