import { ApiError } from '../jsonapi/errors.ts';
import type { ResourceModel } from '../../resources/model/index.ts';

interface PgErrorFields {
  readonly code?: string;
  readonly constraint?: string;
  readonly column?: string;
}

const isPgError = (error: unknown): error is Error & PgErrorFields =>
  error instanceof Error && typeof (error as PgErrorFields).code === 'string';

/** The driver error itself: drizzle wraps it in a DrizzleQueryError whose `cause` it is. */
function driverError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (isPgError(current)) return current;
    current = current.cause;
  }
  return error;
}

/** Node socket errors and PostgreSQL's connection/shutdown classes (08, 57P01-57P03): the database is unavailable. */
const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
export function isDatabaseUnavailable(failure: unknown): boolean {
  const error = driverError(failure);
  if (!(error instanceof Error)) return false;
  if (isPgError(error) && error.code !== undefined && (unavailableCodes.has(error.code) || error.code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(error.message);
}

/**
 * Text PostgreSQL cannot hold: U+0000 in a text or jsonb value (22021 invalid byte sequence, 22P05 untranslatable
 * character). Only a client sends such a string, in a path, a query or a body: a 400, not a 500.
 */
export function isUnstorableText(failure: unknown): boolean {
  const error = driverError(failure);
  return isPgError(error) && (error.code === '22021' || error.code === '22P05');
}

/** 57014 query_canceled: the session's statement_timeout (DATABASE_STATEMENT_TIMEOUT) stopped a statement. */
export function isStatementTimeout(failure: unknown): boolean {
  const error = driverError(failure);
  return isPgError(error) && error.code === '57014';
}

/**
 * What a database failure means whatever the resource: the database unreachable or too slow (503, retry), or a value
 * it cannot hold (400). `undefined` for the rest (constraint violations need the resource; anything else is a 500).
 * The one place for these, shared by action writes and the server's error handler.
 */
export function databaseError(failure: unknown): ApiError | undefined {
  if (isDatabaseUnavailable(failure)) {
    return new ApiError('SERVICE_UNAVAILABLE', { detail: 'The database is unavailable; retry shortly', retryAfter: 5, cause: failure });
  }
  if (isStatementTimeout(failure)) {
    return new ApiError('SERVICE_UNAVAILABLE', { detail: 'The database did not finish in time (busy, or waiting for another change); retry shortly', retryAfter: 1, cause: failure });
  }
  if (isUnstorableText(failure)) {
    return new ApiError('BAD_REQUEST', { detail: 'A value contains the character U+0000, which cannot be stored or compared', cause: failure });
  }
  return undefined;
}

function identityFor(resource: ResourceModel, constraint: string | undefined): string | undefined {
  return resource.identities.find((i) => i.indexName === constraint)?.keys[0];
}

function referenceFor(resource: ResourceModel, constraint: string | undefined) {
  return resource.relationships.find((r) => r.foreignKeyName === constraint);
}

/** The attribute a CHECK constraint guards: constraints are named `<table>_<attribute>_check` by codegen. */
function checkedAttribute(resource: ResourceModel, constraint: string | undefined): string | undefined {
  return resource.attributes.find((a) => constraint === `${resource.table}_${a.name}_check`)?.name;
}

/**
 * One SQLSTATE table (STYLE §4): databaseError's cases first, then constraint violations become client errors
 * naming the member; anything else is rethrown for the 500 path.
 */
export function translateDatabaseError(failure: unknown, resource: ResourceModel): unknown {
  const general = databaseError(failure);
  if (general !== undefined) return general;
  const error = driverError(failure);
  if (!isPgError(error)) return failure;
  switch (error.code) {
    case '23505': {
      const name = identityFor(resource, error.constraint);
      return new ApiError('CONFLICT', {
        detail: name === undefined ? 'A record with the same unique key exists' : `${name} has already been taken`,
        ...(name === undefined ? {} : { field: { kind: 'attribute', name } }),
        cause: error,
      });
    }
    case '23503': {
      const relationship = referenceFor(resource, error.constraint);
      return new ApiError('RELATED_RESOURCE_NOT_FOUND', {
        detail: relationship === undefined ? 'A referenced record does not exist' : `The ${relationship.destination} referenced by ${relationship.sourceAttribute} does not exist`,
        ...(relationship === undefined ? {} : { field: { kind: 'relationship', name: relationship.name } }),
        cause: error,
      });
    }
    case '23502': {
      const name = error.column;
      return new ApiError('VALIDATION_FAILED', {
        detail: name === undefined ? 'A required value is missing' : `${name} is required`,
        ...(name === undefined ? {} : { field: { kind: 'attribute', name } }),
        cause: error,
      });
    }
    case '23514':
    case '22001':
    case '22P02':
    case '22003':
    case '22007':
    case '22008': {
      const name = checkedAttribute(resource, error.constraint);
      return new ApiError('VALIDATION_FAILED', {
        detail: name === undefined ? 'A value is out of range or malformed' : `${name} is not an allowed value`,
        ...(name === undefined ? {} : { field: { kind: 'attribute', name } }),
        cause: error,
      });
    }
    default:
      return failure;
  }
}
