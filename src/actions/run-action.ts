import { and, asc, desc, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { ActionType } from '../../resources/define.ts';
import { atomOrderSql, type ActionModel, type ResourceModel } from '../../resources/model/index.ts';
import type { Executor } from '../db/pool.ts';
import { translateDatabaseError } from '../db/sql-errors.ts';
import { ApiError, notFound } from '../jsonapi/errors.ts';
import type { PolicySubject } from '../policies/checks.ts';
import { decide, type Decision } from '../policies/decide.ts';
import { exprToSql, type ExprContext } from '../query/expr-to-sql.ts';
import { readExpression, readSelection } from '../query/read-columns.ts';
import type { ActionContext, ActionOutcome, ActionRequest, EventDescription, ResourceRecord } from './context.ts';
import { decodeRow } from './decode.ts';
import { actionGuards, serializationKeys } from './guards.ts';
import { checkInput, type CheckedInput } from './input.ts';
import { applicableChanges, writePlan } from './write-values.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const subjectOf = (ctx: ActionContext, resource: ResourceModel, action: ActionModel): PolicySubject => ({
  registry: ctx.registry,
  resource,
  action,
  actor: ctx.actor,
  context: ctx.context ?? {},
});

/** What expressions see in an action; `written` (a write's values) is what `atomicRef` reads. */
const exprContextOf = (ctx: ActionContext, resource: ResourceModel, args: CheckedInput['args'] = {}, written?: ExprContext['written']): ExprContext => ({
  registry: ctx.registry,
  resource,
  actor: ctx.actor,
  args,
  context: ctx.context ?? {},
  ...(written === undefined ? {} : { written }),
});

/** The resource's primary read action: what "may this actor see the row" is decided by. */
export function primaryReadAction(resource: ResourceModel): ActionModel {
  const action = resource.actions.find((a) => a.type === 'read' && a.primary) ?? resource.actions.find((a) => a.type === 'read');
  if (action === undefined) throw new Error(`${resource.name} has no read action`);
  return action;
}

const asScope = (decision: Decision): SQL | undefined =>
  decision.kind === 'allow' ? undefined : decision.kind === 'deny' ? sql`false` : decision.formula.sql;

/**
 * The rows of `resource` the actor may see, as a WHERE predicate (undefined = all): read policies compiled to SQL.
 * Every read path applies it, and writes only ever touch rows inside it, so a hidden row is always a 404.
 */
export function readScope(ctx: ActionContext, resource: ResourceModel, action: ActionModel = primaryReadAction(resource)): SQL | undefined {
  return asScope(decide(subjectOf(ctx, resource, action)));
}

/** An anonymous request for something only actors may read is asked to authenticate (401), not shown nothing. */
export function requireReader(ctx: ActionContext, resource: ResourceModel, action: ActionModel = primaryReadAction(resource)): void {
  if (ctx.actor !== undefined) return;
  const decision = decide(subjectOf(ctx, resource, action));
  if (decision.kind === 'deny') throw denied(ctx, decision.message);
}

/** A denial: 401 for an anonymous actor (authenticate and retry), 403 with the policy's message otherwise. */
function denied(ctx: ActionContext, message: string): ApiError {
  return ctx.actor === undefined ? new ApiError('UNAUTHORIZED', { detail: message }) : new ApiError('FORBIDDEN', { detail: message });
}

const keyColumn = (ctx: ActionContext, resource: ResourceModel) => ctx.registry.column(resource, resource.primaryKey.name);

/** The row, as far as this actor may see it, or undefined when the id is not a uuid at all. */
function visibleRow(ctx: ActionContext, request: ActionRequest): SQL | undefined {
  const id = request.id;
  if (id === undefined || !uuidPattern.test(id)) return undefined;
  return and(eq(keyColumn(ctx, request.resource), id), readScope(ctx, request.resource));
}

const missing = (request: ActionRequest): ApiError => notFound(request.resource.jsonApi?.type ?? request.resource.name, request.id ?? '');

/**
 * A failed validation as the client sees it: 409 with the action's message and `Retry-After: 1`. The state it
 * conflicts with is another client's to change (a claim released, a lease expired, a slot freed), so a retry can win.
 */
function conflict(request: ActionRequest, index: number): ApiError {
  const failed = request.action.validations[index];
  if (failed === undefined) throw new Error('no such validation');
  return new ApiError('STATE_CONFLICT', {
    detail: failed.message,
    ...(failed.kind === 'count_below' ? {} : { field: { kind: 'attribute' as const, name: failed.attribute } }),
    meta: { action: request.action.name, validation: failed.kind },
    retryAfter: 1,
  });
}

/**
 * After a guarded write touched no row: was the row missing or hidden (404), did the write policy refuse (403), or
 * did a validation not hold (409 with its message)? `undefined` means all hold now: the row changed in between.
 */
async function explainNoRow(ctx: ActionContext, db: Executor, request: ActionRequest, where: SQL, decision: Decision, exprContext: ExprContext): Promise<ApiError | undefined> {
  const guards = actionGuards(exprContext, request.action);
  const table = ctx.registry.table(request.resource);
  const holds = guards.length === 0 ? sql`ARRAY[]::boolean[]` : sql`ARRAY[${sql.join(guards.map((g) => sql`(${g})`), sql`, `)}]`;
  const policy = decision.kind === 'filter' ? decision.formula.sql : sql`true`;
  const [row] = await db.select({ holds: sql<boolean[]>`${holds}`, allowed: sql<boolean>`(${policy})` }).from(table).where(where);
  if (row === undefined) return missing(request);
  if (row.allowed !== true && decision.kind !== 'allow') return denied(ctx, decision.message);
  const failed = request.action.validations.findIndex((_, i) => row.holds[i] !== true);
  return failed < 0 ? undefined : conflict(request, failed);
}

/** A refused write: 401 when anonymous (before anything is looked up), else 404 for a row it cannot see, else 403. */
async function refusal(ctx: ActionContext, request: ActionRequest, where: SQL, message: string): Promise<ApiError> {
  if (ctx.actor === undefined) return denied(ctx, message);
  const [row] = await ctx.db.select({ present: sql<number>`1` }).from(ctx.registry.table(request.resource)).where(where);
  return row === undefined ? missing(request) : denied(ctx, message);
}

/** Input checked against the action; attributes a change sets for this actor need not be given. */
function inputFor(ctx: ActionContext, request: ActionRequest): CheckedInput {
  const setByChanges = new Set(applicableChanges(subjectOf(ctx, request.resource, request.action)).map((c) => c.attribute));
  return checkInput(request.resource, request.action, request.input, setByChanges);
}

/** Announcements of a unit of work, run once it has committed. */
type Announcements = (() => void)[];

/** A write statement with RETURNING, run as it is or embedded in a statement that also records its event. */
type Write = SQLWrapper & { getSQL(): SQL } & PromiseLike<Record<string, unknown>[]>;

/**
 * Runs `work` in a transaction when the action needs one (a serialized count, an event row that must commit with the
 * write, a policy checked on the new row), else directly: most actions are a single statement. Announcements are made
 * after the commit (or handed to the caller that owns the transaction).
 */
async function unitOfWork<T>(ctx: ActionContext, needed: boolean, work: (db: Executor, announcements: Announcements) => Promise<T>): Promise<T> {
  const announcements: Announcements = [];
  const result = needed ? await ctx.db.transaction((tx) => work(tx, announcements)) : await work(ctx.db, announcements);
  for (const announce of announcements) (ctx.afterCommit ?? ((run: () => void) => run()))(announce);
  return result;
}

async function serialize(db: Executor, keys: readonly string[]): Promise<void> {
  for (const key of [...keys].sort()) await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/** The event of an action with `notify`, as far as it is known before the write; undefined without one. */
function eventOf(ctx: ActionContext, request: Pick<ActionRequest, 'resource' | 'action'>): EventDescription | undefined {
  if (request.action.notify === undefined || ctx.events === undefined) return undefined;
  return {
    resource: request.resource,
    action: request.action,
    name: request.action.notify.event,
    actor: ctx.actor,
    ...(ctx.traceId === undefined ? {} : { traceId: ctx.traceId }),
  };
}

/**
 * Runs a write (INSERT/UPDATE/DELETE ... RETURNING) and returns its rows. With an event, the event's row is written
 * by the same statement: `WITH written AS (<write>), recorded AS (<event insert>) SELECT * FROM written`.
 */
async function writeRows(db: Executor, ctx: ActionContext, request: Pick<ActionRequest, 'resource' | 'action'>, write: Write): Promise<Record<string, unknown>[]> {
  const event = eventOf(ctx, request);
  const recording = event === undefined ? undefined : ctx.events?.recordWith(event, sql.raw('written'));
  if (recording === undefined) return write;
  const result = await db.execute<Record<string, unknown>>(sql`WITH written AS (${write.getSQL()}), recorded AS (${recording}) SELECT * FROM written`);
  return result.rows;
}

/** After the write commits, the event is announced with the record as written. */
function announceLater(ctx: ActionContext, announcements: Announcements, request: Pick<ActionRequest, 'resource' | 'action'>, record: ResourceRecord): void {
  const event = eventOf(ctx, request);
  const sink = ctx.events;
  if (event !== undefined && sink !== undefined) announcements.push(() => sink.announce({ ...event, record }));
}

const needsTransaction = (keys: readonly string[]): boolean => keys.length > 0;

async function runCreate(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const subject = subjectOf(ctx, request.resource, request.action);
  const decision = decide(subject);
  // Anonymous: anything short of a plain yes means "authenticate first".
  if (decision.kind === 'deny' || (ctx.actor === undefined && decision.kind !== 'allow')) throw denied(ctx, decision.message);
  const input = inputFor(ctx, request);
  const plan = writePlan(subject, request, input);
  const exprContext = exprContextOf(ctx, request.resource, input.args, plan.values);
  const keys = serializationKeys(exprContext, request.action);
  const table = ctx.registry.table(request.resource);
  const record = await unitOfWork(ctx, needsTransaction(keys) || decision.kind === 'filter', async (db, announcements) => {
    await serialize(db, keys);
    const [row] = await writeRows(db, ctx, request, db.insert(table).values(plan.values).returning(readSelection(exprContext)));
    if (row === undefined) throw new Error(`insert into ${request.resource.table} returned no row`);
    const created = decodeRow(request.resource, row);
    if (decision.kind === 'filter') {
      // A policy that depends on the new row itself: checked in the same transaction, rolled back if refused.
      const key = eq(keyColumn(ctx, request.resource), String(created[request.resource.primaryKey.name]));
      const [allowed] = await db.select({ ok: sql<number>`1` }).from(table).where(and(key, decision.formula.sql));
      if (allowed === undefined) throw denied(ctx, decision.message);
    }
    announceLater(ctx, announcements, request, created);
    return created;
  });
  return { record, meta: plan.meta };
}

/**
 * One conditional UPDATE ... WHERE id = $1 AND <read scope> AND <write policy> AND <validations> RETURNING *:
 * visibility, permission, state check and write are one statement.
 */
async function runUpdate(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  if (request.action.target !== undefined) throw new Error(`${request.action.name} picks its own row: call runTargeted`);
  const subject = subjectOf(ctx, request.resource, request.action);
  const decision = decide(subject);
  if (ctx.actor === undefined && decision.kind !== 'allow') throw denied(ctx, decision.message);
  const where = visibleRow(ctx, request);
  if (where === undefined) throw missing(request);
  const input = inputFor(ctx, request);
  if (decision.kind === 'deny') throw await refusal(ctx, request, where, decision.message);
  const plan = writePlan(subject, request, input);
  const exprContext = exprContextOf(ctx, request.resource, input.args, plan.values);
  const keys = serializationKeys(exprContext, request.action);
  const table = ctx.registry.table(request.resource);
  const record = await unitOfWork(ctx, needsTransaction(keys), async (db, announcements) => {
    await serialize(db, keys);
    const guarded = and(where, decision.kind === 'filter' ? decision.formula.sql : undefined, ...actionGuards(exprContext, request.action));
    // A concurrent writer can flip the state back between the UPDATE and the explanation; one more try settles it.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const [row] = await writeRows(db, ctx, request, db.update(table).set(plan.values).where(guarded).returning(readSelection(exprContext)));
      if (row !== undefined) {
        const updated = decodeRow(request.resource, row);
        announceLater(ctx, announcements, request, updated);
        return updated;
      }
      const reason = await explainNoRow(ctx, db, request, where, decision, exprContext);
      if (reason !== undefined) throw reason;
    }
    throw new ApiError('STATE_CONFLICT', { detail: `${request.resource.name} changed concurrently; retry`, retryAfter: 1 });
  });
  return { record, meta: plan.meta };
}

/**
 * An update that picks its own row (claim-next): in ONE statement, the first visible row matching the target filter
 * by the target sort, locked with FOR UPDATE SKIP LOCKED (concurrent callers take different rows, nobody waits),
 * guarded and updated. `undefined` when no row matches. Validations that fail (e.g. too many held) are 409.
 */
async function runTargetedUnobserved(ctx: ActionContext, request: Omit<ActionRequest, 'id'>): Promise<ActionOutcome | undefined> {
  const target = request.action.target;
  if (target === undefined) throw new Error(`${request.action.name} takes an id`);
  try {
    const subject = subjectOf(ctx, request.resource, request.action);
    const decision = decide(subject);
    if (decision.kind === 'deny' || (ctx.actor === undefined && decision.kind !== 'allow')) throw denied(ctx, decision.message);
    const input = inputFor(ctx, request);
    const plan = writePlan(subject, request, input);
    const exprContext = exprContextOf(ctx, request.resource, input.args, plan.values);
    const keys = serializationKeys(exprContext, request.action);
    const table = ctx.registry.table(request.resource);
    const key = keyColumn(ctx, request.resource);
    const candidates = and(
      readScope(ctx, request.resource),
      decision.kind === 'filter' ? decision.formula.sql : undefined,
      target.filter === undefined ? undefined : exprToSql(target.filter, exprContext),
    );
    const order = target.sort.map((s) => {
      const attribute = request.resource.attributes.find((a) => a.name === s.attribute);
      if (attribute === undefined) throw new Error(`unknown sort attribute ${s.attribute}`);
      const expression = attribute.spec.kind === 'atom'
        ? sql`array_position(${sql.raw(atomOrderSql(attribute.spec.oneOf.map(String)))}, ${readExpression(exprContext, attribute)})`
        : readExpression(exprContext, attribute);
      return s.direction === 'desc' ? desc(expression) : asc(expression);
    });
    const guards = actionGuards(exprContext, request.action);
    return await unitOfWork(ctx, needsTransaction(keys), async (db, announcements) => {
      await serialize(db, keys);
      const chosen = db.select({ id: key }).from(table).where(and(candidates, ...guards)).orderBy(...order, asc(key)).limit(1).for('update', { skipLocked: true });
      const [row] = await writeRows(db, ctx, request, db.update(table).set(plan.values).where(sql`${key} = (${chosen})`).returning(readSelection(exprContext)));
      if (row === undefined) {
        // Nothing taken: either nothing matches, or a count validation (which needs no row) does not hold.
        const counts = request.action.validations.flatMap((v, i) => (v.kind === 'count_below' ? [{ index: i, guard: guards[i] ?? sql`true` }] : []));
        const probe = counts.length === 0 ? undefined : (await db.execute<{ holds: boolean[] }>(sql`SELECT ARRAY[${sql.join(counts.map((c) => sql`(${c.guard})`), sql`, `)}] AS holds`)).rows[0];
        const failed = probe === undefined ? -1 : (counts.find((_, i) => probe.holds[i] !== true)?.index ?? -1);
        if (failed >= 0) throw conflict({ ...request, id: '' }, failed);
        return undefined;
      }
      const record = decodeRow(request.resource, row);
      announceLater(ctx, announcements, request, record);
      return { record, meta: plan.meta };
    });
  } catch (error) {
    throw translateDatabaseError(error, request.resource);
  }
}

/** Runs `work`, telling `ctx.observe` (when set) the outcome and the duration. */
async function observed<T>(ctx: ActionContext, request: Pick<ActionRequest, 'resource' | 'action'>, work: () => Promise<T>): Promise<T> {
  if (ctx.observe === undefined) return work();
  const started = performance.now();
  const report = (outcome: string) =>
    ctx.observe?.({ resource: request.resource.name, action: request.action.name, outcome, seconds: (performance.now() - started) / 1000 });
  try {
    const result = await work();
    report(result === undefined ? 'none' : 'ok');
    return result;
  } catch (error) {
    report(error instanceof ApiError ? error.code.toLowerCase() : 'internal_error');
    throw error;
  }
}

/** A targeted update (claim-next); see runTargetedUnobserved. */
export async function runTargeted(ctx: ActionContext, request: Omit<ActionRequest, 'id'>): Promise<ActionOutcome | undefined> {
  return observed(ctx, request, () => runTargetedUnobserved(ctx, request));
}

/** DELETE ... WHERE id = $1 AND <read scope> AND <write policy> AND <validations> RETURNING *. */
async function runDestroy(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const decision = decide(subjectOf(ctx, request.resource, request.action));
  if (ctx.actor === undefined && decision.kind !== 'allow') throw denied(ctx, decision.message);
  const input = inputFor(ctx, request);
  const where = visibleRow(ctx, request);
  if (where === undefined) throw missing(request);
  if (decision.kind === 'deny') throw await refusal(ctx, request, where, decision.message);
  const exprContext = exprContextOf(ctx, request.resource, input.args);
  const keys = serializationKeys(exprContext, request.action);
  const table = ctx.registry.table(request.resource);
  const record = await unitOfWork(ctx, needsTransaction(keys), async (db, announcements) => {
    await serialize(db, keys);
    const guarded = and(where, decision.kind === 'filter' ? decision.formula.sql : undefined, ...actionGuards(exprContext, request.action));
    const [row] = await writeRows(db, ctx, request, db.delete(table).where(guarded).returning(readSelection(exprContext)));
    if (row === undefined) throw (await explainNoRow(ctx, db, request, where, decision, exprContext)) ?? missing(request);
    const deleted = decodeRow(request.resource, row);
    announceLater(ctx, announcements, request, deleted);
    return deleted;
  });
  return { record, meta: {} };
}

/** Reads one record by id through a read action: its policy is the scope, its base filter applies. */
async function runRead(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  const input = inputFor(ctx, request);
  const id = request.id;
  if (id === undefined || !uuidPattern.test(id)) throw missing(request);
  const exprContext = exprContextOf(ctx, request.resource, input.args);
  const policy = readScope(ctx, request.resource, request.action);
  const filter = request.action.filter === undefined ? undefined : exprToSql(request.action.filter, exprContext);
  const key = eq(keyColumn(ctx, request.resource), id);
  const [row] = await ctx.db.select(readSelection(exprContext)).from(ctx.registry.table(request.resource)).where(and(key, policy, filter)).limit(1);
  if (row === undefined) throw missing(request);
  return { record: decodeRow(request.resource, row), meta: {} };
}

const runners: { readonly [K in ActionType]: (ctx: ActionContext, request: ActionRequest) => Promise<ActionOutcome> } = {
  create: runCreate,
  read: runRead,
  update: runUpdate,
  destroy: runDestroy,
};

/**
 * Runs a resource action with its policies: the one generic path every route (JSON:API, coordination, internal
 * callers) goes through, so no path reads or writes around them. Database constraint errors come back as client
 * errors naming the member.
 */
export async function runActionDetailed(ctx: ActionContext, request: ActionRequest): Promise<ActionOutcome> {
  return observed(ctx, request, async () => {
    try {
      return await runners[request.action.type](ctx, request);
    } catch (error) {
      throw translateDatabaseError(error, request.resource);
    }
  });
}

export async function runAction(ctx: ActionContext, request: ActionRequest): Promise<ResourceRecord> {
  return (await runActionDetailed(ctx, request)).record;
}
