import type {
  ActionType,
  AttributeSpec,
  ChangeSpec,
  Expr,
  OnDelete,
  FieldPolicySpec,
  PolicySpec,
  NotifySpec,
  RouteKind,
  TargetSpec,
  ValidationSpec,
} from '../define.ts';

/** A normalized, validated, frozen view of all resources: what codegen emits from and the server runs on. */
export interface Model {
  readonly resources: readonly ResourceModel[];
}

export interface AttributeModel {
  readonly name: string;
  readonly spec: AttributeSpec;
}

export interface IdentityModel {
  readonly name: string;
  readonly keys: readonly string[];
  readonly indexName: string;
}

/** One key of an index that serves an action's target. */
export interface IndexKeyModel {
  readonly attribute: string;
  readonly descending: boolean;
  /** An atom sorted by its declared order: the key is its position in these values (atomOrderSql). */
  readonly rank?: readonly string[];
}

export interface IndexModel {
  readonly name: string;
  readonly on: readonly string[];
  readonly using: 'btree' | 'gin';
  /** Set for a target index: its keys, in order (`on` lists the same attributes). */
  readonly keys?: readonly IndexKeyModel[];
  /** Set for a partial index: the rows where every `attribute = value` holds. */
  readonly where?: readonly { readonly attribute: string; readonly value: string | number | boolean }[];
}

export interface RelationshipModel {
  readonly name: string;
  readonly kind: 'belongs_to' | 'has_many';
  readonly cardinality: 'one' | 'many';
  readonly destination: string;
  /** Join: source.sourceAttribute = destination.destinationAttribute. */
  readonly sourceAttribute: string;
  readonly destinationAttribute: string;
  /** For belongs_to: the foreign key's action and constraint name. */
  readonly onDelete?: OnDelete;
  readonly foreignKeyName?: string;
  readonly description?: string;
}

export interface ArgumentModel {
  readonly name: string;
  readonly spec: AttributeSpec;
}

export interface ActionModel {
  readonly name: string;
  readonly type: ActionType;
  readonly primary: boolean;
  readonly description?: string;
  readonly accept: readonly string[];
  /** Inputs that must be present: accepted attributes that are NOT NULL without default, plus `require`. */
  readonly required: readonly string[];
  readonly arguments: readonly ArgumentModel[];
  readonly changes: readonly ChangeSpec[];
  readonly validations: readonly ValidationSpec[];
  readonly filter?: Expr;
  /** An update that picks its own row (claim-next) instead of taking an id. */
  readonly target?: TargetSpec;
  readonly notify?: NotifySpec;
}

export interface RouteModel {
  readonly kind: RouteKind;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Full path under /api/json, Fastify syntax (`/agents/:id/heartbeat`). */
  readonly path: string;
  readonly action: string;
  readonly relationship?: string;
  readonly operationId: string;
  readonly description?: string;
}

export interface JsonApiModel {
  readonly type: string;
  readonly base: string;
  readonly routes: readonly RouteModel[];
  readonly includes: readonly string[];
  readonly page: { readonly default: number; readonly max: number; readonly maxIncluded: number };
}

export interface ResourceModel {
  readonly name: string;
  /** The resource file, relative to the working directory, for messages. */
  readonly file: string;
  readonly domain: string;
  readonly table: string;
  /** The camelCase identifier of the Drizzle table in drizzle/schema.ts. */
  readonly tableIdentifier: string;
  readonly description?: string;
  readonly attributes: readonly AttributeModel[];
  readonly primaryKey: AttributeModel;
  readonly identities: readonly IdentityModel[];
  readonly indexes: readonly IndexModel[];
  readonly relationships: readonly RelationshipModel[];
  readonly actions: readonly ActionModel[];
  readonly policies: readonly PolicySpec[];
  readonly fieldPolicies: readonly FieldPolicySpec[];
  readonly authentication?: { readonly tokenAttribute: string; readonly actorType: string; readonly actorAttributes: readonly string[] };
  readonly jsonApi?: JsonApiModel;
}
