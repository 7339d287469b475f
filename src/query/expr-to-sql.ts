import { and, eq, gt, gte, inArray, isNull, isSQLWrapper, lt, lte, ne, not, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { ComparisonOperator, Expr, JsonValue, ValueSpec } from '../../resources/define.ts';
import type { AttributeModel, ResourceModel } from '../../resources/model/index.ts';
import { actorValue, type Actor } from '../actions/actor.ts';
import { isDeepStrictEqual } from 'node:util';
import type { Registry } from '../runtime/registry.ts';

export interface ExprContext {
  readonly registry: Registry;
  readonly resource: ResourceModel;
  readonly actor: Actor | undefined;
  readonly args: Readonly<Record<string, JsonValue>>;
  /** Server settings `context(...)` reads. */
  readonly context?: Readonly<Record<string, JsonValue>>;
  /** The resource's table goes by this alias in the query (a subquery's FROM ... AS f1). */
  readonly alias?: string;
  /** In a write: the values it sets, by attribute (what `atomicRef` reads). */
  readonly written?: Readonly<Record<string, SQLWrapper | JsonValue>>;
}

/** An operand: a SQL expression (field), a bound constant, or "unknown" (an actor value that is absent). */
type Operand = { readonly sql: SQLWrapper } | { readonly value: JsonValue } | { readonly missing: true };

/**
 * The tables a relationship path reaches, joined as r1 … rN, and the condition tying r1 to the row (`link`). Inside
 * a subquery whose table is aliased (ctx.alias, e.g. r2 of an outer path), they are r2_r1 … r2_rN instead: each
 * nesting level extends its parent's name, so an inner path never shadows the alias its link refers to.
 */
interface PathJoin {
  readonly from: SQL;
  readonly link: SQL;
  /** The alias of the path's last table, and its resource. */
  readonly last: string;
  readonly destination: ResourceModel;
  readonly toMany: boolean;
}

function joinPath(ctx: RefContext, relationships: readonly string[]): PathJoin {
  let resource = ctx.resource;
  const hops = relationships.map((segment) => {
    const relationship = resource.relationships.find((r) => r.name === segment);
    if (relationship === undefined) throw new Error(`'${segment}' is not a relationship of ${resource.name}`);
    resource = ctx.registry.resource(relationship.destination);
    return { relationship, table: sql.identifier(resource.table) };
  });
  const prefix = ctx.alias === undefined ? 'r' : `${ctx.alias}_r`;
  const alias = (index: number): SQL => sql`${sql.identifier(`${prefix}${index + 1}`)}`;
  const column = (at: SQL, name: string): SQL => sql`${at}.${sql.identifier(name)}`;
  const [first, ...more] = hops;
  if (first === undefined) throw new Error('empty relationship path');
  const joins = more.map(
    (hop, i) => sql` JOIN ${hop.table} AS ${alias(i + 1)} ON ${column(alias(i + 1), hop.relationship.destinationAttribute)} = ${column(alias(i), hop.relationship.sourceAttribute)}`,
  );
  const root = sql`${sql.identifier(ctx.alias ?? ctx.resource.table)}`;
  return {
    from: sql`${first.table} AS ${alias(0)}${sql.join(joins, sql``)}`,
    link: sql`${column(alias(0), first.relationship.destinationAttribute)} = ${column(root, first.relationship.sourceAttribute)}`,
    last: `${prefix}${hops.length}`,
    destination: resource,
    toMany: hops.some((hop) => hop.relationship.cardinality === 'many'),
  };
}

/** What a ref needs: the resource it starts from; actor and settings for attributes read differently (`readAs`). */
export type RefContext = Pick<ExprContext, 'registry' | 'resource' | 'alias'> & Partial<Pick<ExprContext, 'actor' | 'context'>>;

/**
 * An attribute as reads see it: its column, or for one with `readAs` (agents read as offline without heartbeats)
 * `CASE WHEN <when> THEN <value> ELSE <column> END`, with `<when>` compiled on the same row as `column`.
 */
export function readAsSql(ctx: RefContext, attribute: AttributeModel, column: SQLWrapper): SQLWrapper {
  const override = attribute.spec.readAs;
  if (override === undefined) return column;
  const on: ExprContext = { registry: ctx.registry, resource: ctx.resource, actor: ctx.actor, args: {}, ...(ctx.context === undefined ? {} : { context: ctx.context }), ...(ctx.alias === undefined ? {} : { alias: ctx.alias }) };
  return sql`(CASE WHEN ${exprToSql(override.when, on)} THEN ${override.value} ELSE ${column} END)`;
}

/**
 * `ref('agent', 'agent_id')` from work_items: a scalar subquery through each to-one relationship,
 * `(SELECT r1.agent_id FROM agents AS r1 WHERE r1.id = work_items.claimed_by)`; the attribute as it reads (`readAs`:
 * `ref('agent', 'status')` is offline for a silent agent here too). A one-segment ref is the row's own column.
 */
export function refSql(ctx: RefContext, path: readonly string[]): SQLWrapper {
  const attribute = path[path.length - 1];
  if (attribute === undefined) throw new Error('empty ref path');
  if (path.length === 1) return ctx.alias === undefined ? ctx.registry.column(ctx.resource, attribute) : sql`${sql.identifier(ctx.alias)}.${sql.identifier(attribute)}`;
  const joined = joinPath(ctx, path.slice(0, -1));
  if (joined.toMany) throw new Error(`ref('${path.join("', '")}') goes through a to-many relationship; a ref has one value`);
  const model = joined.destination.attributes.find((a) => a.name === attribute);
  const column = sql`${sql.identifier(joined.last)}.${sql.identifier(attribute)}`;
  const value = model === undefined ? column : readAsSql({ ...ctx, resource: joined.destination, alias: joined.last }, model, column);
  return sql`(SELECT ${value} FROM ${joined.from} WHERE ${joined.link})`;
}

/**
 * Does some record at the end of the relationship path (to-one or to-many hops) have `field` = `value`?
 * `EXISTS (SELECT 1 FROM books AS r1 JOIN reviewers AS r2 ON … WHERE r1.publisher_id = publishers.id AND r2.id = $1)`.
 */
export function existsThrough(ctx: RefContext, relationships: readonly string[], field: string, value: JsonValue): SQL {
  const joined = joinPath(ctx, relationships);
  return sql`EXISTS (SELECT 1 FROM ${joined.from} WHERE ${joined.link} AND ${sql.identifier(joined.last)}.${sql.identifier(field)} = ${value})`;
}

function operand(ctx: ExprContext, value: ValueSpec): Operand {
  switch (value.kind) {
    case 'literal':
      return { value: value.value };
    case 'now':
      return { sql: sql`now()` };
    case 'actor': {
      const found = actorValue(ctx.actor, value.path);
      return found === undefined ? { missing: true } : { value: found };
    }
    case 'arg':
      return { value: ctx.args[value.name] ?? null };
    case 'ref':
      return { sql: refSql(ctx, value.path) };
    case 'atomic_ref': {
      if (ctx.written === undefined || !(value.attribute in ctx.written)) return { sql: refSql(ctx, [value.attribute]) };
      const written = ctx.written[value.attribute] ?? null;
      return isSQLWrapper(written) ? { sql: written } : { value: written };
    }
    case 'context':
      return { value: ctx.context?.[value.key] ?? null };
    case 'ago': {
      const milliseconds = operand(ctx, value.milliseconds);
      if (!('value' in milliseconds) || typeof milliseconds.value !== 'number') return { missing: true };
      return { sql: sql`(now() - ${milliseconds.value}::double precision * interval '1 millisecond')` };
    }
  }
}

/** Two constants are compared here, not in SQL (PostgreSQL cannot type two bare parameters). */
function compareValues(op: ComparisonOperator, left: JsonValue, right: JsonValue): boolean {
  if (op === 'eq') return isDeepStrictEqual(left, right);
  if (op === 'not_eq') return !isDeepStrictEqual(left, right);
  if (left === null || right === null || typeof left === 'object' || typeof right === 'object') return false;
  switch (op) {
    case 'gt':
      return left > right;
    case 'gte':
      return left >= right;
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
  }
}

const constant = (value: boolean): SQL => (value ? sql`true` : sql`false`);

const comparators: { readonly [K in ComparisonOperator]: (left: SQLWrapper, right: SQLWrapper | JsonValue) => SQL } = {
  eq: (l, r) => eq(l, r),
  not_eq: (l, r) => ne(l, r),
  gt: (l, r) => gt(l, r),
  gte: (l, r) => gte(l, r),
  lt: (l, r) => lt(l, r),
  lte: (l, r) => lte(l, r),
};

const toSql = (o: { readonly sql: SQLWrapper } | { readonly value: JsonValue }): SQLWrapper => ('sql' in o ? o.sql : sql`${o.value}`);

function compare(op: ComparisonOperator, left: Operand, right: Operand): SQL {
  // Ash: comparing with an absent actor value is false, never "matches everything".
  if ('missing' in left || 'missing' in right) return sql`false`;
  // Comparing with null means IS NULL / IS NOT NULL, as in Ash's expressions.
  if ('value' in right && right.value === null && (op === 'eq' || op === 'not_eq')) {
    return op === 'eq' ? isNull(toSql(left)) : sql`${toSql(left)} IS NOT NULL`;
  }
  if ('sql' in left) return comparators[op](left.sql, 'sql' in right ? right.sql : right.value);
  if ('sql' in right) return compare(flip[op], right, left);
  return constant(compareValues(op, left.value, right.value));
}

const flip: { readonly [K in ComparisonOperator]: ComparisonOperator } = { eq: 'eq', not_eq: 'not_eq', gt: 'lt', gte: 'lte', lt: 'gt', lte: 'gte' };

/** Compiles a resource expression to a SQL predicate over the resource's table. */
export function exprToSql(expression: Expr, ctx: ExprContext): SQL {
  switch (expression.op) {
    case 'eq':
    case 'not_eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compare(expression.op, operand(ctx, expression.left), operand(ctx, expression.right));
    case 'in': {
      const left = operand(ctx, expression.left);
      if ('missing' in left) return sql`false`;
      // An argument holding a list contributes its items: isIn(ref('work_type'), [arg('work_types')]).
      const values = expression.right
        .map((v) => operand(ctx, v))
        .flatMap((o) => ('value' in o ? (Array.isArray(o.value) ? (o.value as readonly JsonValue[]) : [o.value]) : []));
      if ('value' in left) return constant(values.some((v) => isDeepStrictEqual(v, left.value)));
      if (values.length === 0) return sql`false`;
      return inArray(left.sql, values);
    }
    case 'is_nil': {
      const value = operand(ctx, expression.operand);
      if ('missing' in value) return sql`true`;
      if ('value' in value) return constant(value.value === null);
      return isNull(value.sql);
    }
    case 'and':
      return and(...expression.args.map((e) => exprToSql(e, ctx))) ?? sql`true`;
    case 'or':
      return or(...expression.args.map((e) => exprToSql(e, ctx))) ?? sql`false`;
    case 'not':
      return not(exprToSql(expression.arg, ctx));
  }
}

/** A value written by a change (`set_attribute`): a constant for drizzle to encode per column, or SQL. Absent = null. */
export function writeValue(value: ValueSpec, ctx: ExprContext): SQLWrapper | JsonValue {
  const resolved = operand(ctx, value);
  if ('missing' in resolved) return null;
  return 'sql' in resolved ? resolved.sql : resolved.value;
}
