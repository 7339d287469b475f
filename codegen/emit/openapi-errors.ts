import { errorCatalog, errorCodes, type ErrorCode, type ErrorFormat } from '../../resources/contracts/index.ts';
import type { JsonSchema } from './map-shapes.ts';

/** Problems one request can report together (body and query checks): a mix of these statuses is answered 400. */
const reportedTogether: ReadonlySet<ErrorCode> = new Set(errorCodes.filter((code) => errorCatalog[code].status === 400 || code === 'VALIDATION_FAILED' || code === 'TYPE_MISMATCH'));

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** components.schemas shared by every error response. */
export const errorComponents: Readonly<Record<string, JsonSchema>> = {
  ErrorCode: {
    type: 'string',
    enum: [...errorCodes],
    description: `The error catalog (src/jsonapi/errors.ts): ${errorCodes.map((code) => `${code} (${errorCatalog[code].status})`).join(', ')}.`,
  },
  JsonApiError: {
    type: 'object',
    description: 'A JSON:API error object. `source.pointer` names the body member, `source.parameter` the query parameter.',
    required: ['status', 'code', 'title'],
    properties: {
      status: { type: 'string', pattern: '^[45][0-9]{2}$' },
      code: ref('ErrorCode'),
      title: { type: 'string' },
      detail: { type: 'string' },
      source: {
        type: 'object',
        properties: { pointer: { type: 'string' }, parameter: { type: 'string' }, header: { type: 'string' } },
        additionalProperties: false,
      },
      meta: { type: 'object' },
    },
    additionalProperties: false,
  },
  CoordinationError: {
    type: 'object',
    description: 'The coordination envelope of an error: `error` is the catalog code in lower case.',
    required: ['status', 'error', 'message'],
    properties: {
      status: { const: 'error' },
      error: { type: 'string', enum: errorCodes.map((code) => code.toLowerCase()) },
      message: { type: 'string' },
      details: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: ['string', 'null'] }, message: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    additionalProperties: false,
  },
};

const headersFor = (status: number, codes: readonly ErrorCode[]): JsonSchema | undefined => {
  const retry = status === 429 || status === 503 || codes.includes('STATE_CONFLICT');
  const headers = {
    ...(retry ? { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'string', pattern: '^[0-9]+$' } } } : {}),
    ...(status === 401 ? { 'WWW-Authenticate': { description: 'The scheme to authenticate with (Bearer).', schema: { type: 'string' } } } : {}),
    ...(status === 405 ? { Allow: { description: 'The methods the path allows.', schema: { type: 'string' } } } : {}),
  };
  return Object.keys(headers).length === 0 ? undefined : headers;
};

/** The codes a response of `status` may carry, of those a route can give (a mix of 4xx problems is one 400). */
export function codesByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const unique = [...new Set(codes)];
  const byStatus = new Map<number, ErrorCode[]>();
  const add = (status: number, code: ErrorCode) => byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  for (const code of unique) add(errorCatalog[code].status, code);
  const together = unique.filter((code) => reportedTogether.has(code));
  if (new Set(together.map((code) => errorCatalog[code].status)).size > 1) {
    for (const code of together) if (errorCatalog[code].status !== 400) add(400, code);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

const statusText: Readonly<Record<number, string>> = {
  400: 'The request is malformed (several problems of a request are reported together as 400).',
  401: 'No valid bearer token (or the action needs one).',
  403: 'The actor may not do this.',
  404: 'Not found.',
  405: 'The path does not allow this method.',
  406: 'The Accept header asks for a JSON:API media type with parameters this server does not serve.',
  409: 'Conflicts with the current state.',
  413: 'The body is too large.',
  415: 'The Content-Type is not supported.',
  422: 'Values the action cannot accept.',
  429: 'Too many requests: retry after Retry-After.',
  500: 'A failure on the server side.',
  503: 'The database is unavailable: retry after Retry-After.',
};

function errorBody(format: ErrorFormat, codes: readonly ErrorCode[]): JsonSchema {
  if (format === 'coordination') {
    return { allOf: [ref('CoordinationError'), { properties: { error: { enum: codes.map((code) => code.toLowerCase()) } } }] };
  }
  return {
    type: 'object',
    required: ['errors'],
    properties: { errors: { type: 'array', minItems: 1, items: { allOf: [ref('JsonApiError'), { properties: { code: { enum: codes } } }] } } },
    additionalProperties: false,
  };
}

const mediaTypeOf: { readonly [K in ErrorFormat]: string } = { jsonapi: 'application/vnd.api+json', coordination: 'application/json' };

/** OpenAPI responses for every error status a route can give, each naming the catalog codes it may carry. */
export function errorResponses(format: ErrorFormat, codes: readonly ErrorCode[]): Record<string, JsonSchema> {
  return Object.fromEntries(
    [...codesByStatus(codes)].map(([status, statusCodes]) => {
      const headers = headersFor(status, statusCodes);
      const list = statusCodes.map((code) => `\`${code}\``).join(', ');
      return [
        String(status),
        {
          description: `${statusText[status] ?? 'Error.'} Codes: ${list}.`,
          ...(headers === undefined ? {} : { headers }),
          content: { [mediaTypeOf[format]]: { schema: errorBody(format, statusCodes) } },
        },
      ];
    }),
  );
}

/** Answers of no documented operation: an unknown path, or another method on a documented path. */
export const unroutedResponses: Readonly<Record<string, JsonSchema>> = {
  RouteNotFound: {
    description: 'Any path the server does not route answers 404 (JSON:API error document; coordination envelope under /api/coordination).',
    content: { 'application/vnd.api+json': { schema: errorBody('jsonapi', ['ROUTE_NOT_FOUND']) } },
  },
  MethodNotAllowed: {
    description: 'Another method on a documented JSON:API path answers 405 with an Allow header.',
    headers: headersFor(405, ['METHOD_NOT_ALLOWED']),
    content: { 'application/vnd.api+json': { schema: errorBody('jsonapi', ['METHOD_NOT_ALLOWED']) } },
  },
};
