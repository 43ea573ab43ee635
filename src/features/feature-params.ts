// Shared by the MFCC modules: the parameter errors (400 INVALID_FEATURE_PARAMS, a bad request
// parameter on the CLI/API) and a small bounded cache for the tables built per parameter set.
import { InputError } from '../errors.js';

const MAX_CACHED_PLANS = 16;

/** The value cached under `key`, made once; the oldest entry goes beyond MAX_CACHED_PLANS. */
export function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= MAX_CACHED_PLANS) cache.delete(cache.keys().next().value!);
    value = make();
    cache.set(key, value);
  }
  return value;
}

export function invalidFeatureParams(message: string): InputError {
  return new InputError('INVALID_FEATURE_PARAMS', message);
}

export function checkInt(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidFeatureParams(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
