import type { ActionModel, RelationshipModel, ResourceModel, RouteModel } from '../../resources/model/index.ts';
import type { BodyValidator, LinkageValidator } from './body/validate-body.ts';

/** Everything a route's handler needs, resolved once when routes are registered. */
export interface RouteSetup {
  readonly resource: ResourceModel;
  readonly route: RouteModel;
  readonly action: ActionModel;
  readonly relationship: RelationshipModel | undefined;
  readonly body: BodyValidator | undefined;
  readonly linkage: LinkageValidator | undefined;
}

/** Does `path` (`/api/json/work_items/<uuid>/claim`) match the route template (`/api/json/work_items/:id/claim`)? */
export function matchPath(template: string, path: string): { readonly id?: string } | undefined {
  const want = template.split('/');
  const got = path.split('?')[0]?.split('/') ?? [];
  if (want.length !== got.length) return undefined;
  let id: string | undefined;
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment === ':id') id = decodeURIComponent(actual);
    else if (segment !== actual) return undefined;
  }
  return id === undefined ? {} : { id };
}
