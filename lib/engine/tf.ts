/**
 * The one TensorFlow.js instance every part of tslab-xai uses. Re-exported as `xai.tf` so a
 * notebook that builds its own model shares the same engine (and the same kernels).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
