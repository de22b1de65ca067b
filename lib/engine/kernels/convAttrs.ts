/**
 * The attributes tfjs passes to its convolution and pooling gradient kernels, typed once for the
 * kernels in this folder.
 */
import type { backend_util } from '@tensorflow/tfjs';

/** [batch, height, width, channels] or [fh, fw, in, out]. */
export type Shape4 = [number, number, number, number];

/** Where and how a convolution or pooling window moves. */
export interface ConvGeometry {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** Depthwise kernels only. */
  dilations?: [number, number] | number;
  /** Conv2D kernels only; tslab-xai supports NHWC. */
  dataFormat?: 'NHWC' | 'NCHW';
}
