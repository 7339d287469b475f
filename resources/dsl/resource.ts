import type { ActionSpec, ActionType } from './actions.ts';
import type { AttributeMap, InferAttributeValue } from './attributes.ts';
import type { JsonApiSpec } from './json-api.ts';
import type { FieldPolicySpec, PolicySpec } from './policies.ts';
import type { RelationshipSpec } from './relationships.ts';

export interface ColumnIndexSpec<TAttr extends string = string> {
  readonly on: readonly [TAttr, ...TAttr[]];
  /** `gin` for arrays and maps searched by containment. */
  readonly using?: 'btree' | 'gin';
}

/**
 * An index that serves an action's `target` (claim-next): keyed by the target's sort (atoms by their declared
 * order) and the primary key, partial on the target filter's `attribute = value` conditions, so picking the next
 * row reads the first index entry instead of sorting every candidate.
 * @example indexes: [{ target: 'claim_next' }]
 */
export interface TargetIndexSpec {
  readonly target: string;
}

export type IndexSpec<TAttr extends string = string> = ColumnIndexSpec<TAttr> | TargetIndexSpec;

/** The declaration a resource file makes. Every name it uses is checked when resources are loaded. */
export interface ResourceSpec<TName extends string = string, TAttrs extends AttributeMap = AttributeMap> {
  /** Singular snake_case name; also the JSON:API type unless `jsonApi.type` says otherwise. */
  readonly name: TName;
  /** The Ash domain the resource belongs to (an OpenAPI tag). */
  readonly domain: string;
  /** The PostgreSQL table (plural snake_case). */
  readonly table: string;
  readonly description?: string;
  readonly attributes: TAttrs;
  /** Unique keys: each becomes a unique index `<table>_<identity>_index`. */
  readonly identities?: Readonly<Record<string, readonly [NoInfer<keyof TAttrs & string>, ...NoInfer<keyof TAttrs & string>[]]>>;
  readonly indexes?: readonly IndexSpec<NoInfer<keyof TAttrs & string>>[];
  readonly relationships?: Readonly<Record<string, RelationshipSpec>>;
  /** Default actions named after their type (`defaults [:read, :destroy]`). */
  readonly defaults?: readonly ActionType[];
  /** What default create/update actions accept; all public writable attributes when omitted. */
  readonly defaultAccept?: readonly NoInfer<keyof TAttrs & string>[];
  readonly actions?: Readonly<Record<string, ActionSpec<NoInfer<keyof TAttrs & string>>>>;
  readonly policies?: readonly PolicySpec[];
  /**
   * Records of this resource are actors: a bearer token whose SHA-256 is in `tokenAttribute` authenticates as
   * `{ type: actorType, id, ...actorAttributes }` (AshAuthentication's token strategy, in one line).
   */
  readonly authentication?: {
    readonly tokenAttribute: NoInfer<keyof TAttrs & string>;
    readonly actorType: string;
    readonly actorAttributes?: readonly NoInfer<keyof TAttrs & string>[];
  };
  /** Who may see which attributes; attributes no field policy names are visible to whoever may read the record. */
  readonly fieldPolicies?: readonly FieldPolicySpec[];
  readonly jsonApi?: JsonApiSpec;
}

const resourceBrand: unique symbol = Symbol.for('self-sustaining.resource');

export type ResourceDefinition<TName extends string = string, TAttrs extends AttributeMap = AttributeMap> = ResourceSpec<
  TName,
  TAttrs
> & { readonly [resourceBrand]: true };

/**
 * Declares a resource. The literal definition is returned, so its types can be inferred.
 * @example
 * export const ticket = defineResource({
 *   name: 'ticket', domain: 'support', table: 'tickets',
 *   attributes: { id: attr.uuidPrimaryKey(), subject: attr.string().notNull(), ...timestamps() },
 *   defaults: ['read', 'create'],
 * });
 * type Ticket = InferRecord<typeof ticket>;
 */
export function defineResource<const TName extends string, const TAttrs extends AttributeMap>(
  spec: ResourceSpec<TName, TAttrs>,
): ResourceDefinition<TName, TAttrs> {
  return Object.freeze({ ...spec, [resourceBrand]: true as const });
}

export function isResourceDefinition(value: unknown): value is ResourceDefinition {
  return typeof value === 'object' && value !== null && resourceBrand in value;
}

/** The stored row of a resource, like drizzle's `$inferSelect` (`z.infer` for resources). */
export type InferRecord<TResource extends ResourceDefinition> = {
  -readonly [K in keyof TResource['attributes']]: InferAttributeValue<TResource['attributes'][K]>;
};
