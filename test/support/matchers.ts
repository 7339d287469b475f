import { expect } from 'vitest';
import { ApiError, ApiErrors, type ErrorCode } from '../../src/jsonapi/errors.ts';

/** The ApiErrors a rejected promise carries (one or several), for precise assertions. */
export async function apiErrorsOf(promise: Promise<unknown>): Promise<readonly ApiError[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiErrors) return error.errors;
    if (error instanceof ApiError) return [error];
    throw error;
  }
  throw new Error('expected the promise to reject with an ApiError');
}

export async function expectApiError(
  promise: Promise<unknown>,
  code: ErrorCode,
  expected: { detail?: string | RegExp; field?: string } = {},
): Promise<ApiError> {
  const errors = await apiErrorsOf(promise);
  const match = errors.find((e) => e.code === code);
  expect(match, `expected ${code}, got ${errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`).toBeDefined();
  if (match === undefined) throw new Error('unreachable');
  if (expected.detail !== undefined) expect(match.message).toMatch(expected.detail);
  if (expected.field !== undefined) expect(match.options.field?.name).toBe(expected.field);
  return match;
}
