/** Image parameterizations of feature visualization: pixels, Fourier (1/f), a generator's latent. */
export * from './param';
export * from './pixels';
export * from './fourier';
export * from './latent';
export * from './latentStarts';
