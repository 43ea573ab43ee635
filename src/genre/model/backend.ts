// Picks the TensorFlow.js backend once per process. tfjs-node (native libtensorflow) is an
// optionalDependency: where its install failed the package directory may still exist but its
// native binding is missing, so the import throws — that is the "not installed" signal.
import * as tf from '@tensorflow/tfjs';
import type { Logger } from '../../logger.js';
import { InternalError } from '../../errors.js';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export interface TfRuntime {
  tf: typeof tf;
  backend: string;
}

const attempts: Record<Exclude<BackendPreference, 'auto'>, () => Promise<void>> = {
  tensorflow: async () => {
    // A variable specifier: where the optional package failed to install (its install downloads
    // libtensorflow) npm removes it, and a literal import would not even type-check.
    const nativeBackend: string = '@tensorflow/tfjs-node';
    await import(nativeBackend);
  },
  wasm: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  },
  cpu: async () => {},
};

const settled = new Map<BackendPreference, Promise<TfRuntime>>();

async function select(preferred: BackendPreference, logger?: Logger): Promise<TfRuntime> {
  const order: Exclude<BackendPreference, 'auto'>[] = preferred === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preferred];
  const failures: string[] = [];
  for (const name of order) {
    try {
      await attempts[name]();
      if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
      await tf.ready();
      // A fallback says why the preferred backends did not start (e.g. tfjs-node not installed).
      logger?.info({ backend: name, preferred, ...(failures.length > 0 ? { unavailable: failures } : {}) }, `TensorFlow.js backend: ${name}`);
      return { tf, backend: name };
    } catch (err) {
      const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
      failures.push(`${name}: ${reason}`);
      logger?.debug({ backend: name, reason }, 'TensorFlow.js backend unavailable');
    }
  }
  throw new InternalError('TF_BACKEND_UNAVAILABLE', `no TensorFlow.js backend could start (${failures.join('; ')})`);
}

/** Idempotent: the first call per preference selects and initialises; later calls re-activate it. */
export async function initTfBackend({ preferred, logger }: { preferred: BackendPreference; logger?: Logger }): Promise<TfRuntime> {
  let pending = settled.get(preferred);
  if (!pending) {
    pending = select(preferred, logger);
    settled.set(preferred, pending);
    pending.catch(() => settled.delete(preferred));
  }
  const runtime = await pending;
  if (tf.getBackend() !== runtime.backend) await tf.setBackend(runtime.backend);
  return runtime;
}
