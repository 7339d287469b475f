import { eq, type SQL } from 'drizzle-orm';
import type { ActionModel, ResourceModel } from '../../../resources/model/index.ts';
import { requireReader as requireActionReader } from '../../actions/run-action.ts';
import { exprToSql } from '../../query/expr-to-sql.ts';
import type { OperationContext } from '../context.ts';
import { notFound } from '../errors.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 401 for an anonymous request of a resource only actors may read (see requireReader). */
export function requireReader(ctx: OperationContext, resource: ResourceModel, action: ActionModel): void {
  requireActionReader({ registry: ctx.registry, db: ctx.db, actor: ctx.actor, context: ctx.policyContext }, resource, action);
}

/** A read action's base filter as SQL (Ash: the action's `filter`), or undefined. */
export function actionFilter(ctx: OperationContext, resource: ResourceModel, action: ActionModel): SQL | undefined {
  if (action.filter === undefined) return undefined;
  return exprToSql(action.filter, { registry: ctx.registry, resource, actor: ctx.actor, args: {} });
}

/** `id = $1`, or a 404 straight away when the id cannot be a primary key (not a uuid). */
export function byId(ctx: OperationContext, resource: ResourceModel, id: string): SQL {
  if (!uuidPattern.test(id)) throw notFound(resource.jsonApi?.type ?? resource.name, id);
  return eq(ctx.registry.column(resource, resource.primaryKey.name), id);
}

export const pkColumn = (ctx: OperationContext, resource: ResourceModel) => ctx.registry.column(resource, resource.primaryKey.name);

/** The resource's primary read action (what related routes and includes read through). */
export function primaryRead(resource: ResourceModel): ActionModel {
  const action = resource.actions.find((a) => a.type === 'read' && a.primary) ?? resource.actions.find((a) => a.type === 'read');
  if (action === undefined) throw new Error(`${resource.name} has no read action`);
  return action;
}
