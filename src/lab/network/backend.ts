// The TensorFlow.js backend for training: the serving one (genre/model/backend.ts) plus, on wasm,
// the gradient kernels training needs. Registered only here, so serving never loads them.
import type { Logger } from '../../logger.js';
import { initTfBackend, type BackendPreference, type TfRuntime } from '../../genre/model/backend.js';
import { registerWasmTrainingKernels } from './wasm-kernels/register.js';

export async function initTrainingBackend({ preferred, logger }: { preferred: BackendPreference; logger?: Logger }): Promise<TfRuntime> {
  const runtime = await initTfBackend({ preferred, ...(logger ? { logger } : {}) });
  if (runtime.backend === 'wasm') registerWasmTrainingKernels();
  return runtime;
}
