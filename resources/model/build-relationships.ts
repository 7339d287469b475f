import type { RelationshipSpec } from '../define.ts';
import { report, type DefinitionIndex, type ResourceContext } from './context.ts';
import { foreignKeyName, isSnakeCase } from './names.ts';
import type { RelationshipModel } from './types.ts';

function primaryKeyName(index: DefinitionIndex, resource: string): string {
  const definition = index.get(resource);
  const key = Object.entries(definition?.attributes ?? {}).find(([, a]) => a.spec.primaryKey);
  return key?.[0] ?? 'id';
}

function buildOne(
  ctx: ResourceContext,
  index: DefinitionIndex,
  name: string,
  spec: RelationshipSpec,
): RelationshipModel | undefined {
  const member = `relationships.${name}`;
  const source = ctx.definition;
  if (!isSnakeCase(name)) report(ctx, 'INVALID_NAME', member, `'${name}' must be snake_case`);
  if (name in source.attributes) report(ctx, 'DUPLICATE_NAME', member, `'${name}' is also an attribute`);
  const destination = index.get(spec.destination);
  if (destination === undefined) {
    report(ctx, 'UNKNOWN_RESOURCE', member, `'${spec.destination}' is not a resource (known: ${[...index.keys()].join(', ')})`);
    return undefined;
  }
  switch (spec.kind) {
    case 'belongs_to': {
      const attribute = source.attributes[spec.attribute];
      if (attribute === undefined) {
        report(ctx, 'UNKNOWN_ATTRIBUTE', `${member}.attribute`, `'${spec.attribute}' is not an attribute of ${source.name}`);
      } else if (attribute.spec.kind !== 'uuid') {
        report(ctx, 'INVALID_RELATIONSHIP', `${member}.attribute`, `'${spec.attribute}' must be a uuid to reference ${spec.destination}`);
      } else if (spec.onDelete === 'nilify' && !attribute.spec.allowNil) {
        report(ctx, 'INVALID_RELATIONSHIP', `${member}.onDelete`, `nilify needs '${spec.attribute}' to allow nil`);
      }
      return {
        name,
        kind: spec.kind,
        cardinality: 'one',
        destination: spec.destination,
        sourceAttribute: spec.attribute,
        destinationAttribute: primaryKeyName(index, spec.destination),
        onDelete: spec.onDelete,
        foreignKeyName: foreignKeyName(source.table, spec.attribute),
        ...(spec.description === undefined ? {} : { description: spec.description }),
      };
    }
    case 'has_many': {
      const back = destination.attributes[spec.destinationAttribute];
      if (back === undefined) {
        report(ctx, 'UNKNOWN_ATTRIBUTE', `${member}.destinationAttribute`, `'${spec.destinationAttribute}' is not an attribute of ${spec.destination}`);
      } else if (back.spec.kind !== 'uuid') {
        report(ctx, 'INVALID_RELATIONSHIP', `${member}.destinationAttribute`, `'${spec.destinationAttribute}' must be a uuid`);
      }
      return {
        name,
        kind: spec.kind,
        cardinality: 'many',
        destination: spec.destination,
        sourceAttribute: primaryKeyName(index, source.name),
        destinationAttribute: spec.destinationAttribute,
        ...(spec.description === undefined ? {} : { description: spec.description }),
      };
    }
  }
}

export function buildRelationships(ctx: ResourceContext, index: DefinitionIndex): RelationshipModel[] {
  return Object.entries(ctx.definition.relationships ?? {}).flatMap(([name, spec]) => {
    const built = buildOne(ctx, index, name, spec);
    return built === undefined ? [] : [built];
  });
}
