import { pageSizes, type ResourceModel } from '../../../resources/model/index.ts';
import { ApiError } from '../errors.ts';
import { isRecord } from './raw.ts';
import { pageParameters } from '../../../resources/contracts/json-api-query.ts';

export type Page =
  | { readonly kind: 'offset'; readonly limit: number; readonly offset: number; readonly count: boolean }
  | { readonly kind: 'keyset'; readonly limit: number; readonly after?: string; readonly before?: string; readonly count: boolean };

const pageKeys = new Set<string>(pageParameters);
const invalid = (detail: string, key?: string): ApiError =>
  new ApiError('INVALID_PAGE', { detail, source: { parameter: key === undefined ? 'page' : `page[${key}]` } });

function integer(value: unknown, key: string, min: number, errors: ApiError[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    errors.push(invalid(`page[${key}] must be an integer of at least ${min}`, key));
    return undefined;
  }
  return Number(value);
}

/**
 * `page[limit|offset|after|before|count]`. Paging is by cursor (keyset: stable while rows are added) unless the client
 * asks for an offset; `links.next` carries the cursor. The limit defaults to the resource's page size and is clamped
 * to its maximum.
 */
export function parsePage(raw: unknown, resource: ResourceModel): { page: Page; errors: ApiError[] } {
  const sizes = pageSizes(resource);
  const fallback: Page = { kind: 'keyset', limit: sizes.default, count: false };
  if (raw === undefined) return { page: fallback, errors: [] };
  if (!isRecord(raw)) return { page: fallback, errors: [invalid('page must use bracket notation: page[limit]=10&page[offset]=20')] };
  const errors: ApiError[] = [];
  for (const key of Object.keys(raw)) if (!pageKeys.has(key)) errors.push(invalid(`page[${key}] is not supported; use limit, offset, after, before or count`, key));
  const limit = Math.min(integer(raw['limit'], 'limit', 1, errors) ?? sizes.default, sizes.max);
  const offset = integer(raw['offset'], 'offset', 0, errors);
  let count = false;
  if (raw['count'] !== undefined) {
    if (raw['count'] === 'true' || raw['count'] === 'false') count = raw['count'] === 'true';
    else errors.push(invalid('page[count] must be true or false', 'count'));
  }
  const cursor = (key: 'after' | 'before'): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') {
      errors.push(invalid(`page[${key}] must be a cursor from a previous page's links`, key));
      return undefined;
    }
    return value;
  };
  const after = cursor('after');
  const before = cursor('before');
  if (after !== undefined && before !== undefined) errors.push(invalid('page[after] and page[before] cannot be combined'));
  if ((after !== undefined || before !== undefined) && offset !== undefined) errors.push(invalid('page[offset] cannot be combined with a cursor'));
  if (offset !== undefined) return { page: { kind: 'offset', limit, offset, count }, errors };
  return { page: { kind: 'keyset', limit, count, ...(after === undefined ? {} : { after }), ...(before === undefined ? {} : { before }) }, errors };
}
