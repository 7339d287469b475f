import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonValue } from '../../../resources/define.ts';
import type { JsonSchema } from '../../runtime/registry.ts';
import { ApiError, ApiErrors } from '../errors.ts';
import type { Ajv2020 } from './ajv.ts';

/** A request document that passed its route's schema. */
export interface ResourceDocumentInput {
  readonly type: string;
  readonly id?: string;
  readonly lid?: string;
  readonly attributes: Readonly<Record<string, JsonValue>>;
  /** Linkage given per relationship: an id, or null to clear it. */
  readonly relationships: Readonly<Record<string, string | null>>;
}

export type BodyValidator = (body: unknown) => ResourceDocumentInput;
export type LinkageValidator = (body: unknown) => string | null;

/** Ajv's instancePath is already a JSON Pointer; a member name appended to it is escaped (RFC 6901: ~ as ~0, / as ~1). */
const pointerTo = (instancePath: string, property?: string): string =>
  property === undefined ? instancePath || '/' : `${instancePath}/${property.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * One Ajv error as a catalog error. Members outside `accept` are 400 (the request is malformed for this action);
 * missing or invalid attribute values are 422 (well-formed but unprocessable); a type that does not belong to the
 * endpoint is 409 (JSON:API); anything else about the envelope is 400.
 */
export function fromAjvError(error: ErrorObject): ApiError {
  const path = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const extra = typeof params['additionalProperty'] === 'string' ? params['additionalProperty'] : undefined;
  const missing = typeof params['missingProperty'] === 'string' ? params['missingProperty'] : undefined;
  if (error.keyword === 'const' && path.endsWith('/type')) {
    return new ApiError('TYPE_MISMATCH', { detail: `type must be ${JSON.stringify(params['allowedValue'])}`, source: { pointer: path } });
  }
  if ((path === '/data/attributes' || path === '/data/relationships') && extra !== undefined) {
    return new ApiError('INPUT_NOT_ACCEPTED', { detail: `${extra} is not accepted by this action`, source: { pointer: pointerTo(path, extra) } });
  }
  if (path === '/data/attributes' && missing !== undefined) {
    return new ApiError('VALIDATION_FAILED', { detail: `${missing} is required`, source: { pointer: pointerTo(path, missing) } });
  }
  if (path === '/data' && missing === 'attributes') {
    return new ApiError('VALIDATION_FAILED', { detail: 'attributes are required by this action', source: { pointer: '/data' } });
  }
  if (path.startsWith('/data/attributes/')) {
    const field = path.slice('/data/attributes/'.length);
    const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'].filter((v) => v !== null) : undefined;
    const detail = error.keyword === 'enum' && allowed !== undefined ? `must be one of ${allowed.join(', ')}` : (error.message ?? 'is invalid');
    return new ApiError('VALIDATION_FAILED', { detail: `${field} ${detail}`, source: { pointer: path } });
  }
  const where = extra ?? missing;
  return new ApiError('INVALID_BODY', {
    detail: `${path === '' ? 'the document' : path} ${error.message ?? 'is invalid'}${where === undefined ? '' : ` (${where})`}`,
    source: { pointer: pointerTo(path, where) },
  });
}

/** Ajv reports one failed `anyOf` branch per alternative; keep the most specific error per location. */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => e.keyword !== 'anyOf');
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function throwAll(errors: readonly ApiError[]): never {
  const [first, ...rest] = errors;
  if (first === undefined) throw new ApiError('INVALID_BODY');
  throw rest.length === 0 ? first : new ApiErrors([first, ...rest]);
}

function check(validate: ValidateFunction, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('INVALID_BODY', { detail: 'The body must be a JSON:API document: {"data": {...}}', source: { pointer: '/' } });
  }
  if (!validate(body)) throwAll(relevant(validate.errors ?? []).map(fromAjvError));
}

interface LinkageShape {
  readonly data: { readonly id: string } | null;
}

/** Compiles a write action's request schema into a validator returning the document's parts. */
export function compileBodyValidator(ajv: Ajv2020, schema: JsonSchema): BodyValidator {
  const validate = ajv.compile(schema);
  return (body) => {
    check(validate, body);
    const data = (body as { data: Record<string, unknown> }).data;
    const relationships = (data['relationships'] ?? {}) as Readonly<Record<string, LinkageShape>>;
    return {
      type: String(data['type']),
      ...(typeof data['id'] === 'string' ? { id: data['id'] } : {}),
      ...(typeof data['lid'] === 'string' ? { lid: data['lid'] } : {}),
      attributes: (data['attributes'] ?? {}) as Readonly<Record<string, JsonValue>>,
      relationships: Object.fromEntries(Object.entries(relationships).map(([name, linkage]) => [name, linkage.data?.id ?? null])),
    };
  };
}

/** For PATCH /:id/relationships/<rel>: `{ data: { type, id } | null }` -> the id or null. */
export function compileLinkageValidator(ajv: Ajv2020, schema: JsonSchema): LinkageValidator {
  const validate = ajv.compile(schema);
  return (body) => {
    check(validate, body);
    return (body as LinkageShape).data?.id ?? null;
  };
}
