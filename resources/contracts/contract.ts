/**
 * Declarative contracts of the routes that are not generated from a resource file (coordination, OTLP, service
 * routes): path, method, operationId, tag, security, parameters, bodies and responses. Codegen reads them to write
 * those paths into openapi/openapi.json; src may read them too. Data only: no imports from src, no npm packages.
 *
 * Schemas are plain JSON Schema (draft 2020-12) in which three kinds of nodes stand for schemas codegen derives from
 * the resource files, so a contract never restates an attribute:
 * - `actionInput(resource, action)`: the flat object the action accepts (its `accept` list and arguments);
 * - `attributesOf(resource, { pick, rename, extra })`: named attributes of a resource, as the resource renders them;
 * - `resourceRow(resource, extra)`: the primary key and every shown attribute of a resource.
 */

import type { ErrorCode } from './error-catalog.ts';

/** A JSON Schema node. */
export type JsonSchema = { readonly [key: string]: unknown };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `bearer`: a token is required; `optional`: policies decide (anonymous may pass); `none`: public. */
export type Security = 'bearer' | 'optional' | 'none';

export interface ParameterContract {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly description: string;
  readonly schema: JsonSchema;
}

export interface ResponseContract {
  readonly description: string;
  /** Media type -> schema of the body. */
  readonly content?: Readonly<Record<string, JsonSchema>>;
  readonly headers?: Readonly<Record<string, { readonly description: string; readonly schema: JsonSchema }>>;
}

export interface RouteContract {
  readonly method: HttpMethod;
  /** OpenAPI path template: `/api/coordination/agents/{agent_id}/heartbeat`. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly security: Security;
  readonly parameters?: readonly ParameterContract[];
  readonly requestBody?: { readonly required: boolean; readonly description?: string; readonly content: Readonly<Record<string, JsonSchema>> };
  /** Successes (and errors outside the catalog, e.g. OTLP's google.rpc.Status), by HTTP status. */
  readonly responses: Readonly<Record<string, ResponseContract>>;
  /** The catalog errors the route answers with, in its error format; codegen groups them into responses by status. */
  readonly errors?: { readonly format: ErrorFormat; readonly codes: readonly ErrorCode[] };
}

/** JSON:API error documents, or the coordination envelope `{status: "error", error: <code in lower case>, ...}`. */
export type ErrorFormat = 'jsonapi' | 'coordination';

export interface TagContract {
  readonly name: string;
  readonly description: string;
}

/** The marker key of derived-schema nodes. */
export const derivedKey = '$derived';

export type DerivedSchema =
  | {
      readonly [derivedKey]: 'action_input';
      readonly resource: string;
      readonly action: string;
      readonly omit?: readonly string[];
      /** Members the route fills in itself when absent (never required of the client). */
      readonly optional?: readonly string[];
      readonly extra?: Readonly<Record<string, JsonSchema>>;
    }
  | {
      readonly [derivedKey]: 'attributes';
      readonly resource: string;
      /** Output member -> attribute of the resource. */
      readonly pick: Readonly<Record<string, string>>;
      readonly extra?: Readonly<Record<string, JsonSchema>>;
    }
  | { readonly [derivedKey]: 'row'; readonly resource: string; readonly omit?: readonly string[]; readonly extra?: Readonly<Record<string, JsonSchema>> }
  /** `{ <value>: integer }` for every value of an atom attribute. */
  | { readonly [derivedKey]: 'counts'; readonly resource: string; readonly attribute: string };

/**
 * The body of a route that runs a resource action: the action's input object, minus `omit`, plus `extra` members.
 * @example actionInput('work_item', 'claim_work', { omit: ['claimed_by'], extra: { agent_id: { type: 'string' } } })
 */
export const actionInput = (
  resource: string,
  action: string,
  options: { readonly omit?: readonly string[]; readonly optional?: readonly string[]; readonly extra?: Readonly<Record<string, JsonSchema>> } = {},
): DerivedSchema => ({ [derivedKey]: 'action_input', resource, action, ...options });

/**
 * A closed object of some attributes of a resource, renamed as a route shows them, plus `extra` members.
 * @example attributesOf('agent', { agent_id: 'agent_id', registered_at: 'inserted_at' })
 */
export const attributesOf = (resource: string, pick: Readonly<Record<string, string>>, extra?: Readonly<Record<string, JsonSchema>>): DerivedSchema => ({
  [derivedKey]: 'attributes',
  resource,
  pick,
  ...(extra === undefined ? {} : { extra }),
});

/**
 * A record as a flat row: `id` and every shown attribute (minus `omit`), plus `extra` members.
 * @example resourceRow('agent', { extra: { work_items_id: { type: 'null' } } })
 */
export const resourceRow = (
  resource: string,
  options: { readonly omit?: readonly string[]; readonly extra?: Readonly<Record<string, JsonSchema>> } = {},
): DerivedSchema => ({ [derivedKey]: 'row', resource, ...options });

/**
 * A count per value of an atom attribute.
 * @example countsOf('work_item', 'priority')
 */
export const countsOf = (resource: string, attribute: string): DerivedSchema => ({ [derivedKey]: 'counts', resource, attribute });

export const isDerived = (node: unknown): node is DerivedSchema => typeof node === 'object' && node !== null && derivedKey in node;

/** Small schema helpers for contracts. */
export const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
export const closedObject = (properties: Readonly<Record<string, JsonSchema>>, optional: readonly string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: false,
});
