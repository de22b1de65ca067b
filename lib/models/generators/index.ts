/** Image generators on the MNIST digits, the priors of class maximization: a VAE and a DCGAN. */
export * from './vae';
export * from './dcgan';
export * from './classifierScore';
