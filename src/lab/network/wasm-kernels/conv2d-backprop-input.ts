// A faster Conv2DBackpropInput for the wasm backend. The stock kernel is a plain loop (measured
// 58–64 ms for our 2nd/3rd conv layers at batch 32); for stride 1 the input gradient is itself a
// convolution of dy with the filter flipped in space and with in/out channels swapped:
//   dx[n, i, j, ci] = Σ_{kh, kw, co} dy[n, i − kh + padTop, j − kw + padLeft, co] · W[kh, kw, ci, co]
//                   = conv2d(dy, W′, pad = (KH−1−padTop, KH−1−padBottom, KW−1−padLeft, KW−1−padRight))
// with W′[kh, kw, co, ci] = W[KH−1−kh, KW−1−kw, ci, co], which the wasm Conv2D (XNNPACK) kernel
// runs in ~5–8 ms. Strides other than 1 fall back to the stock kernel.
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function flipAndSwap(w: Float32Array, kh: number, kw: number, ci: number, co: number, out: Float32Array): void {
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      const src = (y * kw + x) * ci * co;
      const dst = ((kh - 1 - y) * kw + (kw - 1 - x)) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) out[dst + o * ci + i] = w[src + i * co + o]!;
      }
    }
  }
}

/** Builds the kernel around the stock one (`stock`), used when the fast path does not apply; its
 * setup function is kept so the stock kernel still initialises when the backend starts. */
export function conv2dBackpropInputWasmConfig(stock: KernelConfig, conv2d: KernelFunc): KernelConfig {
  const fallback = stock.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const dy = inputs['dy'] as TensorInfo;
    const filter = inputs['filter'] as TensorInfo;
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      inputShape, [kh, kw, ci, co], strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    if (dataFormat !== 'NHWC' || info.strideHeight !== 1 || info.strideWidth !== 1 || dy.dtype !== 'float32') {
      return fallback(args);
    }
    const wasm = backend as BackendWasm;
    const flipped = wasm.makeOutput([kh, kw, co, ci], 'float32');
    flipAndSwap(wasm.typedArrayFromHeap(filter) as Float32Array, kh, kw, ci, co, wasm.typedArrayFromHeap(flipped) as Float32Array);
    const { top, bottom, left, right } = info.padInfo;
    const explicit = [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]];
    if (explicit.flat().some((p) => p < 0)) {
      wasm.disposeData(flipped.dataId);
      return fallback(args);
    }
    const dx = conv2d({
      inputs: { x: dy, filter: flipped },
      backend,
      attrs: { strides: 1, pad: explicit, dataFormat: 'NHWC', dilations: 1 } as unknown as NamedAttrMap,
    }) as TensorInfo;
    wasm.disposeData(flipped.dataId);
    return dx;
  };
  return {
    kernelName: Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc,
    ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}),
    ...(stock.disposeFunc ? { disposeFunc: stock.disposeFunc } : {}),
  };
}
