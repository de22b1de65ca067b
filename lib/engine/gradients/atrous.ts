/**
 * The gradients of a dilated ("atrous") convolution, computed as TensorFlow computes atrous
 * convolution itself (Chen et al. 2017, "DeepLab: Semantic Image Segmentation with Deep
 * Convolutional Nets, Atrous Convolution, and Fully Connected CRFs", §3.1; TensorFlow's
 * `with_space_to_batch`): with stride 1 and dilation (dₕ, d_w), output row i = r + dₕ·i′ reads
 * only the padded input rows r + dₕ·(i′ + a), a = 0…kₕ−1. Splitting the zero-padded input and
 * the output gradient into their dₕ·d_w phases (space-to-batch) turns the dilated convolution into
 * an ordinary one (dilation 1, 'valid') over a batch dₕ·d_w times larger, so
 *
 *   ∂L/∂x = batch-to-space(Conv2DBackpropInput(phases of dy, w)) cropped to x,
 *   ∂L/∂w = Conv2DBackpropFilter(phases of x, phases of dy)      (the batch sums over phases),
 *
 * and likewise with the depthwise backprop kernels (channel multiplier included). Same
 * arithmetic as the forward convolution; every kernel used is one each backend already has at
 * dilation 1 (tslab-xai's SIMD kernels on wasm).
 *
 * @example
 * ```ts
 * const { dx, dfilter } = atrousGradients(x, w, dy, { dilations: 2, pad: 'same' }, false);
 * ```
 */
import { tf } from '../tf';

/** The attributes of `Conv2D` / `DepthwiseConv2dNative` / their fused forms that the gradient needs. */
export interface AtrousAttrs {
  strides?: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number] | null;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** A number or pair as a pair (tfjs lets both through to kernel attributes); null/undefined → [1, 1]. */
export function pair(v: number | [number, number] | null | undefined): [number, number] {
  if (v === null || v === undefined) return [1, 1];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Whether a kernel's `dilations` attribute asks for a dilation greater than 1. */
export function isDilated(dilations: number | [number, number] | null | undefined): boolean {
  const [dh, dw] = pair(dilations);
  return dh !== 1 || dw !== 1;
}

/**
 * Zero-pads `x` [n, h, w, c] by (top, bottom, left, right), then at the bottom and right up to
 * multiples of (dₕ, d_w), and splits it into its phases: [d_w·dₕ·n, H/dₕ, W/d_w, c] with phase
 * (r, s) of example b at batch index (s·dₕ + r)·n + b. Only rank-3 transposes (the wasm backend
 * runs those fast, rank 5–6 ten times slower).
 */
function toPhases(x: tf.Tensor4D, [dh, dw]: [number, number], [top, bottom, left, right]: number[]): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [hq, wq] = [Math.ceil((h + top + bottom) / dh), Math.ceil((w + left + right) / dw)];
  const padded = tf.pad(x, [[0, 0], [top, hq * dh - h - top], [left, wq * dw - w - left], [0, 0]]);
  const rows = tf.transpose(tf.reshape(padded, [n * hq, dh, wq * dw * c]), [1, 0, 2]); // [dh, n, hq, wq, dw, c]
  const cols = tf.transpose(tf.reshape(rows, [dh * n * hq * wq, dw, c]), [1, 0, 2]); // [dw, dh, n, hq, wq, c]
  return tf.reshape(cols, [dw * dh * n, hq, wq, c]);
}

/** The inverse of {@link toPhases} without the crop: [d_w·dₕ·n, h, w, c] → [n, h·dₕ, w·d_w, c]. */
function fromPhases(p: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [b, h, w, c] = p.shape;
  const n = b / (dh * dw);
  const cols = tf.transpose(tf.reshape(p, [dw, dh * n * h * w, c]), [1, 0, 2]); // [dh, n, h, w, dw, c]
  const rows = tf.transpose(tf.reshape(cols, [dh, n * h, w * dw * c]), [1, 0, 2]); // [n, h, dh, w, dw, c]
  return tf.reshape(rows, [n, h * dh, w * dw, c]);
}

const toNhwc = (t: tf.Tensor4D) => tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;

/**
 * ∂L/∂x and ∂L/∂w of y = conv(x, w) (or the depthwise convolution) with dilation > 1, stride 1,
 * any padding tfjs accepts ('same', 'valid', explicit), NHWC or NCHW. Either part is computed
 * only when asked for (the gradient functions call them lazily).
 *
 * @param x - the convolution's input, [n, h, w, c] (NHWC) or [n, c, h, w] (NCHW).
 * @param filter - [kₕ, k_w, c, out] (conv) or [kₕ, k_w, c, multiplier] (depthwise).
 * @param dy - ∂L/∂y, the shape of the output.
 * @param attrs - the kernel's attributes.
 * @param depthwise - whether the convolution is `DepthwiseConv2dNative`.
 * @param part - which gradient to compute.
 */
export function atrousGradient(x: tf.Tensor4D, filter: tf.Tensor4D, dy: tf.Tensor4D, attrs: AtrousAttrs, depthwise: boolean, part: 'x' | 'filter'): tf.Tensor4D {
  const where = depthwise ? 'gradient of a dilated depthwiseConv2d (tslab-xai)' : 'gradient of a dilated conv2d (tslab-xai)';
  const dilations = pair(attrs.dilations);
  const [sh, sw] = pair(attrs.strides ?? 1);
  if (sh !== 1 || sw !== 1) throw new Error(`${where}: strides must be 1 when the dilation is > 1 (as tfjs requires); got strides ${sh},${sw} and dilations ${dilations}`);
  const nchw = attrs.dataFormat === 'NCHW';
  return tf.tidy(() => {
    const xs = nchw ? toNhwc(x) : x;
    const dys = nchw ? toNhwc(dy) : dy;
    const info = tf.backend_util.computeConv2DInfo(xs.shape, filter.shape, 1, dilations, attrs.pad, attrs.dimRoundingMode, depthwise);
    const { top, bottom, left, right } = info.padInfo;
    const [kh, kw] = filter.shape;
    // phase rows/columns of the padded input; each phase of the output is a 'valid' convolution of
    // a phase of the input, (hq − kₕ + 1) rows by (wq − k_w + 1) columns
    const hq = Math.ceil((xs.shape[1] + top + bottom) / dilations[0]);
    const wq = Math.ceil((xs.shape[2] + left + right) / dilations[1]);
    const [ho, wo] = [hq - kh + 1, wq - kw + 1];
    const phases = dilations[0] * dilations[1] * xs.shape[0];
    const dyp = toPhases(dys, dilations, [0, ho * dilations[0] - info.outHeight, 0, wo * dilations[1] - info.outWidth]);
    const common = { strides: 1, pad: 'valid', dimRoundingMode: undefined };
    const run = (name: string, inputs: tf.NamedTensorMap, extra: object) => tf.engine().runKernel(name, inputs, { ...common, ...extra } as never) as tf.Tensor4D;
    if (part === 'filter') {
      const xp = toPhases(xs, dilations, [top, bottom, left, right]);
      return depthwise
        ? run('DepthwiseConv2dNativeBackpropFilter', { x: xp, dy: dyp }, { dilations: 1, filterShape: filter.shape })
        : run('Conv2DBackpropFilter', { x: xp, dy: dyp }, { dataFormat: 'NHWC', filterShape: filter.shape });
    }
    const inputShape = [phases, hq, wq, xs.shape[3]];
    const dxp = depthwise
      ? run('DepthwiseConv2dNativeBackpropInput', { dy: dyp, filter }, { dilations: 1, inputShape })
      : run('Conv2DBackpropInput', { dy: dyp, filter }, { dataFormat: 'NHWC', inputShape });
    const dx = tf.slice(fromPhases(dxp, dilations), [0, top, left, 0], xs.shape);
    return nchw ? (tf.transpose(dx, [0, 3, 1, 2]) as tf.Tensor4D) : dx;
  });
}
