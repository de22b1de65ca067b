/**
 * `GatherV2` for the wasm backend that copies whole slices. The backend's kernel moves one element
 * at a time through stride arithmetic (~1 ms to gather 50 rows of 784 floats); when each gathered
 * slice is at least 8 values long this copies it as one contiguous run, heap to heap. Short slices
 * (gathering along the last axis) and strings go to the backend's kernel.
 *
 * @example
 * ```ts
 * tf.gather(images, tf.tensor1d([3, 3, 3], 'int32'));   // three copies of image 3
 * ```
 */
import { backend_util, util } from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { KernelReplacement, WasmBackend } from './wasmCall';

const MIN_SLICE = 8;

/** Replaces the wasm backend's element-by-element `GatherV2` for slices of ≥ 8 values. */
export const gatherV2Replacement: KernelReplacement = {
  kernelName: 'GatherV2',
  why: "the backend's GatherV2 copies one element at a time",
  wrap: (original) =>
    ((args) => {
      const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
      const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
      if (x.dtype === 'string' || indices.dtype !== 'int32') return original(args);
      const parsedAxis = util.parseAxisParam(axis, x.shape)[0];
      const info = backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, parsedAxis, batchDims);
      if (info.sliceSize < MIN_SLICE) return original(args);
      const b = args.backend as WasmBackend;
      const out = b.makeOutput(info.outputShape, x.dtype);
      const src = b.typedArrayFromHeap(x);
      const dst = b.typedArrayFromHeap(out);
      const idx = b.typedArrayFromHeap(indices);
      const perBatch = idx.length / info.batchSize;
      const dim = x.shape[parsedAxis];
      const s = info.sliceSize;
      let o = 0;
      for (let bt = 0; bt < info.batchSize; bt++) {
        for (let outer = 0; outer < info.outerSize; outer++) {
          const base = (bt * info.outerSize + outer) * info.dimSize;
          for (let i = 0; i < perBatch; i++, o += s) {
            const k = idx[bt * perBatch + i];
            if (!(k >= 0 && k < dim)) {
              (args.backend as KernelBackend).disposeData(out.dataId);
              throw new Error(`GatherV2: the index value ${k} is not in [0, ${dim - 1}]`);
            }
            dst.set(src.subarray((base + k) * s, (base + k + 1) * s), o);
          }
        }
      }
      return out;
    }) as KernelFunc,
};
