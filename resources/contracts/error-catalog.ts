/**
 * Every error code the API can answer with (JSON:API error objects and the coordination envelope). One table: the
 * runtime (src/jsonapi/errors.ts) reads statuses and titles from it, and codegen lists the codes in the OpenAPI
 * document, so the two cannot disagree.
 */
export const errorCatalog = {
  RESOURCE_NOT_FOUND: { status: 404, title: 'Resource not found' },
  RELATED_RESOURCE_NOT_FOUND: { status: 404, title: 'Related resource not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'Route not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  INVALID_BODY: { status: 400, title: 'Invalid request body' },
  INVALID_QUERY_PARAMETER: { status: 400, title: 'Invalid query parameter' },
  INVALID_FILTER: { status: 400, title: 'Invalid filter' },
  INVALID_SORT: { status: 400, title: 'Invalid sort' },
  INVALID_INCLUDE: { status: 400, title: 'Invalid include' },
  INVALID_FIELDS: { status: 400, title: 'Invalid sparse fieldset' },
  INVALID_PAGE: { status: 400, title: 'Invalid pagination' },
  TOO_MANY_OPERATIONS: { status: 400, title: 'Too many atomic operations' },
  CLIENT_ID_NOT_ALLOWED: { status: 403, title: 'Client-generated ids are not supported' },
  UNAUTHORIZED: { status: 401, title: 'Authentication required' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests' },
  TYPE_MISMATCH: { status: 409, title: 'Type or id does not match the endpoint' },
  NOT_ACCEPTABLE: { status: 406, title: 'Not acceptable' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  INPUT_NOT_ACCEPTED: { status: 400, title: 'Input not accepted by this action' },
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  STATE_CONFLICT: { status: 409, title: 'Action does not apply in the current state' },
  CONFLICT: { status: 409, title: 'Conflicts with an existing resource' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
} as const satisfies Record<string, { readonly status: number; readonly title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export const errorCodes = Object.keys(errorCatalog) as readonly ErrorCode[];
