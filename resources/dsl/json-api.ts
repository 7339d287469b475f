/** JSON:API route kinds (ash_json_api's route helpers). */
export const routeKinds = [
  'index',
  'get',
  'post',
  'patch',
  'delete',
  'related',
  'relationship',
  'patch_relationship',
  'action',
] as const;
export type RouteKind = (typeof routeKinds)[number];

export interface RouteSpec {
  readonly kind: RouteKind;
  /** The action this route runs. */
  readonly action: string;
  /** Path under the resource's base; `:id` is the record id. Defaults per kind ('/', '/:id', ...). */
  readonly path?: string;
  /** For related/relationship routes. */
  readonly relationship?: string;
  /** OpenAPI operationId; a default is derived from the kind and type. */
  readonly name?: string;
  readonly description?: string;
}

export interface JsonApiSpec {
  /** The JSON:API `type`; defaults to the resource name. */
  readonly type?: string;
  /** Route base under /api/json; defaults to `/<table>`. */
  readonly base?: string;
  readonly routes: readonly RouteSpec[];
  /** Allow-listed include paths, dotted for nesting: `agent.work_items`. */
  readonly includes?: readonly string[];
  /**
   * Page sizes (default 50, clamped to max 500), and `maxIncluded` (default 5,000): the most related records one
   * request may read for `include`, over all its levels. Beyond it the request gets 400 (INVALID_INCLUDE) rather
   * than a truncated `included` whose linkage would be incomplete.
   */
  readonly page?: { readonly default?: number; readonly max?: number; readonly maxIncluded?: number };
}

type RouteOptions = Omit<RouteSpec, 'kind' | 'action' | 'relationship'>;

/** Route builders for a resource's `jsonApi.routes`. */
export const route = {
  /** GET `/` @example route.index('read') */
  index: (actionName: string, options: RouteOptions = {}): RouteSpec => ({ kind: 'index', action: actionName, ...options }),
  /** GET `/:id` @example route.get('read') */
  get: (actionName: string, options: RouteOptions = {}): RouteSpec => ({ kind: 'get', action: actionName, ...options }),
  /** POST `/` @example route.post('register', { path: '/register' }) */
  post: (actionName: string, options: RouteOptions = {}): RouteSpec => ({ kind: 'post', action: actionName, ...options }),
  /** PATCH `/:id` @example route.patch('claim_work', { path: '/:id/claim' }) */
  patch: (actionName: string, options: RouteOptions = {}): RouteSpec => ({ kind: 'patch', action: actionName, ...options }),
  /** DELETE `/:id` @example route.delete('destroy') */
  delete: (actionName: string, options: RouteOptions = {}): RouteSpec => ({ kind: 'delete', action: actionName, ...options }),
  /** GET `/:id/<relationship>` @example route.related('work_items', 'read') */
  related: (relationship: string, actionName: string, options: RouteOptions = {}): RouteSpec => ({
    kind: 'related',
    action: actionName,
    relationship,
    ...options,
  }),
  /** GET `/:id/relationships/<relationship>` @example route.relationship('agent', 'read') */
  relationship: (relationship: string, actionName: string, options: RouteOptions = {}): RouteSpec => ({
    kind: 'relationship',
    action: actionName,
    relationship,
    ...options,
  }),
  /**
   * POST `/<action>`: an update that picks its own row (an action with a `target`, e.g. claim-next); 200 with the
   * record it took, 204 when there was none.
   * @example route.action('claim_next', { path: '/claim_next' })
   */
  action: (actionName: string, options: RouteOptions = {}): RouteSpec => ({ kind: 'action', action: actionName, ...options }),
  /** PATCH `/:id/relationships/<relationship>` runs an update action @example route.patchRelationship('agent', 'update') */
  patchRelationship: (relationship: string, actionName: string, options: RouteOptions = {}): RouteSpec => ({
    kind: 'patch_relationship',
    action: actionName,
    relationship,
    ...options,
  }),
} as const;
