// Query/params validation with zod: one place that turns a schema failure into a 400 InputError.
import { z } from 'zod';
import { InputError } from '../../errors.js';

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new InputError('INVALID_QUERY', `invalid ${what}: ${detail}`, 400);
}

/** A required, trimmed, non-blank text parameter of at most `max` characters. */
export function textParam(max: number) {
  return z
    .string({ error: 'is required (a single text value)' })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'must not be blank').max(max, `must be at most ${max} characters`));
}

export const modeParam = z.enum(['sync', 'async']).default('sync');
