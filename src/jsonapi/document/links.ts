import qs from 'qs';
import type { RawQuery } from '../query/raw.ts';

/** The request as links need it: its path and the query it was made with. */
export interface RequestTarget {
  /** `http://host:port` of the request. */
  readonly origin: string;
  readonly path: string;
  readonly query: RawQuery;
}

/**
 * The same request with other `page[...]` values: filter, sort, include and fields are kept, so following a link
 * gives the next page of the same list. Keys and values are percent-encoded (brackets are not allowed unencoded in
 * a URI's query), which every client decodes back to `page[after]=...`.
 */
export function pageLink(target: RequestTarget, page: Readonly<Record<string, string | number>>): string {
  const { page: _previous, ...rest } = target.query;
  const query = { ...rest, page };
  const search = qs.stringify(query, { arrayFormat: 'indices' });
  return `${target.origin}${target.path}${search === '' ? '' : `?${search}`}`;
}

export function selfLink(target: RequestTarget): string {
  const search = qs.stringify(target.query, { arrayFormat: 'indices' });
  return `${target.origin}${target.path}${search === '' ? '' : `?${search}`}`;
}
