// Gradient kernels the stock wasm backend lacks (Conv2DBackpropFilter: without it `fit` of any
// conv net throws) or runs slowly (Conv2DBackpropInput, MaxPoolGrad, Tile: see each file for figures). Idempotent; a missing kernel is only
// added where none exists, so a future tfjs release that ships one keeps its own.
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputWasmConfig } from './conv2d-backprop-input.js';
import { maxPoolGradWasmConfig } from './max-pool-grad.js';
import { tileWasmConfig } from './tile.js';

let replacedStock = false;

/** Registers our wasm training kernels; returns the names it (re)registered on this call. */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  if (!getKernel(conv2dBackpropFilterWasmConfig.kernelName, 'wasm')) {
    registerKernel(conv2dBackpropFilterWasmConfig);
    added.push(conv2dBackpropFilterWasmConfig.kernelName);
  }
  const stockInput = getKernel('Conv2DBackpropInput', 'wasm');
  const conv2d = getKernel('Conv2D', 'wasm');
  if (!replacedStock && stockInput && conv2d) {
    unregisterKernel('Conv2DBackpropInput', 'wasm');
    registerKernel(conv2dBackpropInputWasmConfig(stockInput, conv2d.kernelFunc));
    if (getKernel('MaxPoolGrad', 'wasm')) unregisterKernel('MaxPoolGrad', 'wasm');
    registerKernel(maxPoolGradWasmConfig);
    const stockTile = getKernel('Tile', 'wasm');
    if (stockTile) {
      unregisterKernel('Tile', 'wasm');
      registerKernel(tileWasmConfig(stockTile));
      added.push('Tile');
    }
    replacedStock = true;
    added.push('Conv2DBackpropInput', 'MaxPoolGrad');
  }
  return added;
}
