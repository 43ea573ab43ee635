// Query and path parameters are zod schemas in the route's `schema`: Fastify validates them with
// zod (one place that turns a failure into a 400 InputError with a stable code) and the OpenAPI
// document gets their JSON Schema (openapi.ts). Handlers receive the parsed, typed values.
import type { FastifyInstance, FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';
import type { ErrorCode } from '../../error-codes.js';
import { InputError } from '../../errors.js';

/** Types request.query/params from the route's zod schemas. */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: unknown;
}

const errorCodes = new WeakMap<z.ZodType, { code: ErrorCode; what: string }>();

/** The error code and wording a failure of this schema answers with (default INVALID_QUERY, "query"). */
export function withErrorCode<T extends z.ZodType>(schema: T, code: ErrorCode, what: string): T {
  errorCodes.set(schema, { code, what });
  return schema;
}

export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { code, what } = errorCodes.get(schema) ?? { code: 'INVALID_QUERY', what: 'query' };
  const detail = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ');
  throw new InputError(code, `invalid ${what}: ${detail}`);
}

const zodCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  // Plain JSON Schemas (the multipart body) only document the request: the handler checks the
  // streamed parts itself, since the body is never parsed into an object.
  if (!(schema instanceof z.ZodType)) return () => true;
  return (data) => {
    try {
      return { value: parseInput(schema, data) };
    } catch (error) {
      return { error: error as InputError };
    }
  };
};

/**
 * Responses are always serialised with JSON.stringify: the response schemas are documentation,
 * and a schema-driven serializer would drop undeclared fields and change the bytes clients get.
 */
export function registerSchemaCompilers(app: FastifyInstance): void {
  app.setValidatorCompiler(zodCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** A required, trimmed, non-blank text parameter of at most `max` characters. */
export function textParam(max: number) {
  return z
    .string({ error: 'is required (a single text value)' })
    .trim()
    .min(1, 'must not be blank')
    .max(max, `must be at most ${max} characters`);
}

export const modeParam = z
  .enum(['sync', 'async'])
  .default('sync')
  .describe('`async` answers 202 at once with a job to poll (or 200 when the result is already cached).');
