// MaxPoolGrad for the wasm backend, replacing the stock kernel, which profiled as the most
// expensive op of a training step (~110 ms of a batch-32 step). For each pooling window the
// gradient goes to the window's first maximal input (the cpu backend's rule: strict `>` in
// row-major window order), so the cost is one pass over the windows: O(output × window).
import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function scatterToArgmax(x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo, dx: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(c);
  const bestAt = new Int32Array(c);
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const xBase = b * inHeight * inWidth * c;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * strideHeight - top);
      const y1 = Math.min(inHeight, oy * strideHeight - top + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * strideWidth - left);
        const x1 = Math.min(inWidth, ox * strideWidth - left + filterWidth);
        best.fill(-Infinity);
        bestAt.fill(-1);
        // Window positions outer, channels inner: reads stay contiguous in NHWC memory.
        for (let y = y0; y < y1; y++) {
          for (let xx = x0; xx < x1; xx++) {
            const at = xBase + (y * inWidth + xx) * c;
            for (let ch = 0; ch < c; ch++) {
              if (x[at + ch]! > best[ch]!) {
                best[ch] = x[at + ch]!;
                bestAt[ch] = at + ch;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * c;
        for (let ch = 0; ch < c; ch++) if (bestAt[ch]! >= 0) dx[bestAt[ch]!]! += dy[dyBase + ch]!;
      }
    }
  }
}

const maxPoolGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const dy = inputs['dy'] as TensorInfo;
  const input = inputs['input'] as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const dx = wasm.makeOutput([...input.shape], 'float32');
  scatterToArgmax(
    wasm.typedArrayFromHeap(input) as Float32Array,
    wasm.typedArrayFromHeap(dy) as Float32Array,
    info,
    wasm.typedArrayFromHeap(dx) as Float32Array,
  );
  return dx;
};

export const maxPoolGradWasmConfig: KernelConfig = { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGradWasm };
