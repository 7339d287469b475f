import { sql, type SQLWrapper } from 'drizzle-orm';
import type { AttributeSpec } from '../../../resources/define.ts';
import type { ResourceModel } from '../../../resources/model/index.ts';
import { atomOrderSql, shownAttributes } from '../../../resources/model/index.ts';
import { refSql } from '../../query/expr-to-sql.ts';
import { readExpression, type ReadContext } from '../../query/read-columns.ts';
import type { Registry } from '../../runtime/registry.ts';
import { ApiError } from '../errors.ts';
import { sortable } from './filter-values.ts';
import { commaList } from './raw.ts';
import type { Hidden } from './parse-query.ts';

export interface SortKey {
  /** As written in the query (`agent.agent_id`), for links and error messages. */
  readonly name: string;
  readonly descending: boolean;
  readonly expression: SQLWrapper;
  readonly spec: AttributeSpec;
  /** Can the key be NULL (a nullable attribute, or any path through a relationship)? Keyset predicates need to know. */
  readonly nullable: boolean;
}

/** Resolves `agent.agent_id` through to-one relationships to the attribute at its end. */
function resolve(registry: Registry, resource: ResourceModel, path: readonly string[], hidden: Hidden): AttributeSpec | string {
  let current = resource;
  for (const segment of path.slice(0, -1)) {
    const relationship = current.relationships.find((r) => r.name === segment);
    if (relationship === undefined) return `${current.jsonApi?.type ?? current.name} has no relationship ${segment}`;
    if (relationship.cardinality !== 'one') return `${segment} is a to-many relationship; sort only follows to-one relationships`;
    current = registry.resource(relationship.destination);
  }
  const name = path[path.length - 1] ?? '';
  const visible = hidden(current);
  const attribute = current.attributes.find((a) => a.name === name && a.spec.public && !visible.has(a.name) && (a.spec.primaryKey || shownAttributes(current).includes(a)));
  if (attribute === undefined) return `${current.jsonApi?.type ?? current.name} has no sortable attribute ${name}`;
  if (!sortable(attribute.spec.kind)) return `${name} is a ${attribute.spec.kind} and cannot be sorted`;
  return attribute.spec;
}

/**
 * How a sort key orders: atoms by their position in `one_of` (so `-priority` puts critical before high before medium),
 * everything else by value.
 */
function ordering(spec: AttributeSpec, expression: SQLWrapper): SQLWrapper {
  if (spec.kind !== 'atom') return expression;
  return sql`array_position(${sql.raw(atomOrderSql(spec.oneOf.map(String)))}, ${expression})`;
}

/** The order when none is asked for: oldest first where there is an inserted_at, then the primary key. */
function defaultSort(registry: Registry, resource: ResourceModel): SortKey[] {
  const inserted = resource.attributes.find((a) => a.name === 'inserted_at');
  if (inserted === undefined) return [];
  return [{ name: 'inserted_at', descending: false, expression: refSql({ registry, resource }, ['inserted_at']), spec: inserted.spec, nullable: inserted.spec.allowNil }];
}

/** `sort=-priority,agent.agent_id`: several keys, `-` descending, to-one paths. The primary key is appended as tiebreaker. */
export function parseSort(raw: unknown, resource: ResourceModel, reader: ReadContext, hidden: Hidden): { keys: SortKey[]; errors: ApiError[] } {
  const { registry } = reader;
  if (raw === undefined) return { keys: defaultSort(registry, resource), errors: [] };
  if (typeof raw !== 'string') return { keys: [], errors: [new ApiError('INVALID_SORT', { detail: 'sort must be a comma-separated list', source: { parameter: 'sort' } })] };
  const keys: SortKey[] = [];
  const errors: ApiError[] = [];
  for (const item of commaList(raw)) {
    const descending = item.startsWith('-');
    const name = descending ? item.slice(1) : item;
    const path = name.split('.');
    const resolved = resolve(registry, resource, path, hidden);
    if (typeof resolved === 'string') {
      errors.push(new ApiError('INVALID_SORT', { detail: resolved, source: { parameter: 'sort' } }));
      continue;
    }
    const attribute = path.length === 1 ? resource.attributes.find((a) => a.name === name) : undefined;
    // Paths read through refSql, which applies the destination's readAs too (sort=agent.status sees offline).
    const column = attribute?.spec.readAs === undefined ? refSql({ ...reader, resource }, path) : readExpression({ ...reader, resource, args: {} }, attribute);
    keys.push({ name, descending, expression: ordering(resolved, column), spec: resolved, nullable: path.length > 1 || resolved.allowNil });
  }
  return { keys, errors };
}

/** The sort keys plus the primary key, ascending, so the order is total and stable across pages. */
export function withTiebreaker(keys: readonly SortKey[], registry: Registry, resource: ResourceModel): SortKey[] {
  const pk = resource.primaryKey;
  if (keys.some((k) => k.name === pk.name)) return [...keys];
  return [...keys, { name: pk.name, descending: false, expression: refSql({ registry, resource }, [pk.name]), spec: pk.spec, nullable: false }];
}
