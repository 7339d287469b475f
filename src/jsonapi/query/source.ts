import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { alias, type PgColumn } from 'drizzle-orm/pg-core';
import type { RelationshipModel, ResourceModel } from '../../../resources/model/index.ts';
import type { Registry } from '../../runtime/registry.ts';

/** A table in a query: the resource's own table, or an alias of it inside a subquery. */
export interface Source {
  readonly resource: ResourceModel;
  /** The FROM item: `"agents"` or `"agents" AS "f1"`. */
  readonly from: SQL;
  /** The alias inside a subquery (undefined for the query's own table). */
  readonly alias?: string;
  column(name: string): PgColumn;
}

export function rootSource(registry: Registry, resource: ResourceModel): Source {
  const table = registry.table(resource);
  return { resource, from: sql`${table}`, column: (name) => registry.column(resource, name) };
}

export function aliasedSource(registry: Registry, resource: ResourceModel, name: string): Source {
  const columns = getTableColumns(alias(registry.table(resource), name));
  return {
    resource,
    alias: name,
    from: sql`${sql.identifier(resource.table)} AS ${sql.identifier(name)}`,
    column: (attribute) => {
      const column = columns[attribute];
      if (column === undefined) throw new Error(`${resource.name} has no column ${attribute}`);
      return column;
    },
  };
}

/** The join condition between a source row and its related rows through `relationship`. */
export function joinCondition(relationship: RelationshipModel, source: Source, destination: Source): SQL {
  return sql`${destination.column(relationship.destinationAttribute)} = ${source.column(relationship.sourceAttribute)}`;
}
