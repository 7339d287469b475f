import type { ResourceModel } from '../../../resources/model/index.ts';
import type { ReadContext } from '../../query/read-columns.ts';
import { ApiError, ApiErrors } from '../errors.ts';
import { parseFields, type Fieldsets } from './fields.ts';
import { parseFilter, type FilterNode } from './filter.ts';
import { parseInclude, type IncludeNode } from './include.ts';
import { parsePage, type Page } from './page.ts';
import type { RawQuery } from './raw.ts';
import { parseSort, withTiebreaker, type SortKey } from './sort.ts';

/** Which query parameters a route takes: collections all of them, single records and writes include/fields. */
export type QueryScope = 'collection' | 'single';

/** Fields the request may not see (field policies): the parameters treat them as if they did not exist. */
export type Hidden = (resource: ResourceModel) => ReadonlySet<string>;

export interface ParsedQuery {
  readonly filter: FilterNode | undefined;
  /** Sort keys with the primary key appended (a total order). */
  readonly sort: readonly SortKey[];
  readonly include: readonly IncludeNode[];
  readonly fields: Fieldsets;
  readonly page: Page;
}

const families: Readonly<Record<QueryScope, ReadonlySet<string>>> = {
  collection: new Set(['filter', 'sort', 'include', 'fields', 'page']),
  single: new Set(['include', 'fields']),
};

/**
 * JSON:API 1.1: a parameter named only with a-z that the server does not know is an error (400); names with other
 * characters are implementation-specific and ignored.
 */
function unknownParameters(raw: RawQuery, scope: QueryScope): ApiError[] {
  return Object.keys(raw)
    .filter((name) => /^[a-z]+$/.test(name) && !families[scope].has(name))
    .map((name) => new ApiError('INVALID_QUERY_PARAMETER', { detail: `${name} is not a query parameter of this route`, source: { parameter: name } }));
}

/** Parses every query parameter at once; all problems are reported together (400, each with `source.parameter`). */
/** What parsing needs of the request: the model, what it may not see, who reads (for read-time attributes). */
export interface QueryEnvironment extends ReadContext {
  readonly hidden: Hidden;
}

export function parseQuery(raw: RawQuery, resource: ResourceModel, env: QueryEnvironment, scope: QueryScope): ParsedQuery {
  const { registry, hidden } = env;
  const filter = scope === 'collection' ? parseFilter(raw['filter'], resource, registry, hidden) : { node: undefined, errors: [] };
  const sort = scope === 'collection' ? parseSort(raw['sort'], resource, env, hidden) : { keys: [], errors: [] };
  const include = parseInclude(raw['include'], resource, registry);
  const fields = parseFields(raw['fields'], registry.model, hidden);
  const page = parsePage(scope === 'collection' ? raw['page'] : undefined, resource);
  const errors = [...unknownParameters(raw, scope), ...filter.errors, ...sort.errors, ...include.errors, ...fields.errors, ...page.errors];
  const [first, ...rest] = errors;
  if (first !== undefined) throw rest.length === 0 ? first : new ApiErrors([first, ...rest]);
  return {
    filter: filter.node,
    sort: withTiebreaker(sort.keys, registry, resource),
    include: include.nodes,
    fields: fields.fieldsets,
    page: page.page,
  };
}
