import type { OperationContext } from '../context.ts';
import { ApiError, ApiErrors } from '../errors.ts';
import type { ParsedQuery } from '../query/parse-query.ts';
import { matchPath, type RouteSetup } from '../route-setup.ts';
import { isRecord } from '../query/raw.ts';
import { jsonApiPrefix } from '../../../resources/model/index.ts';
import { runWrite, writtenDocument } from './write.ts';

/** More than this many operations in one request is refused (the whole request is one transaction). */
export const maxAtomicOperations = 100;
const operationsMember = 'atomic:operations';

type OpKind = 'add' | 'update' | 'remove';
const methodFor: { readonly [K in OpKind]: string } = { add: 'POST', update: 'PATCH', remove: 'DELETE' };

interface Operation {
  readonly op: OpKind;
  readonly ref?: Readonly<Record<string, unknown>>;
  readonly href?: string;
  readonly data?: unknown;
}

const at = (index: number, pointer = ''): string => `/${operationsMember}/${index}${pointer}`;
const bad = (index: number, pointer: string, detail: string): ApiError => new ApiError('INVALID_BODY', { detail, source: { pointer: at(index, pointer) } });
/** Inside one operation: pointers relative to it (`locate` moves them under the operation's index). */
const invalid = (pointer: string, detail: string): ApiError => new ApiError('INVALID_BODY', { detail, source: { pointer } });

function parseOperations(body: unknown): Operation[] {
  if (!isRecord(body) || !Array.isArray(body[operationsMember])) {
    throw new ApiError('INVALID_BODY', { detail: `An atomic request is {"${operationsMember}": [...]}`, source: { pointer: '/' } });
  }
  const list: unknown[] = body[operationsMember];
  if (list.length === 0) throw new ApiError('INVALID_BODY', { detail: 'No operations given', source: { pointer: `/${operationsMember}` } });
  if (list.length > maxAtomicOperations) {
    throw new ApiError('TOO_MANY_OPERATIONS', { detail: `At most ${maxAtomicOperations} operations per request, got ${list.length}`, source: { pointer: `/${operationsMember}` } });
  }
  return list.map((raw, index) => {
    if (!isRecord(raw) || (raw['op'] !== 'add' && raw['op'] !== 'update' && raw['op'] !== 'remove')) throw bad(index, '/op', 'op must be add, update or remove');
    if (raw['ref'] !== undefined && raw['href'] !== undefined) throw bad(index, '', 'give ref or href, not both');
    if (raw['ref'] !== undefined && !isRecord(raw['ref'])) throw bad(index, '/ref', 'ref must be an object');
    if (raw['href'] !== undefined && typeof raw['href'] !== 'string') throw bad(index, '/href', 'href must be a string');
    return {
      op: raw['op'],
      ...(isRecord(raw['ref']) ? { ref: raw['ref'] } : {}),
      ...(typeof raw['href'] === 'string' ? { href: raw['href'] } : {}),
      ...(raw['data'] === undefined ? {} : { data: raw['data'] }),
    };
  });
}

/** Local ids (`lid`) of resources added earlier in the request, by `type:lid`. */
type LocalIds = Map<string, string>;

function resolveRef(ref: Readonly<Record<string, unknown>>, lids: LocalIds): { type: string; id: string | undefined } {
  if (typeof ref['type'] !== 'string') throw invalid('/ref/type', 'ref.type is required');
  if (typeof ref['id'] === 'string') return { type: ref['type'], id: ref['id'] };
  if (typeof ref['lid'] === 'string') {
    const id = lids.get(`${ref['type']}:${ref['lid']}`);
    if (id === undefined) throw invalid('/ref/lid', `no earlier operation added a ${ref['type']} with lid ${ref['lid']}`);
    return { type: ref['type'], id };
  }
  return { type: ref['type'], id: undefined };
}

/** Replaces `{type, lid}` linkage in `data.relationships` with the ids the earlier operations created. */
function resolveLinkage(data: unknown, lids: LocalIds): unknown {
  if (!isRecord(data) || !isRecord(data['relationships'])) return data;
  const relationships = Object.fromEntries(
    Object.entries(data['relationships']).map(([name, member]) => {
      if (!isRecord(member) || !isRecord(member['data']) || typeof member['data']['lid'] !== 'string') return [name, member];
      const { type, lid } = member['data'];
      const id = lids.get(`${String(type)}:${lid}`);
      if (id === undefined) throw invalid(`/data/relationships/${name}/data/lid`, `no earlier operation added a ${String(type)} with lid ${lid}`);
      return [name, { ...member, data: { type, id } }];
    }),
  );
  return { ...data, relationships };
}

/** A relationship operation's `data: { type, lid }` becomes `{ type, id }`. */
function resolveIdentifier(data: unknown, lids: LocalIds): unknown {
  if (!isRecord(data) || typeof data['lid'] !== 'string') return data;
  const id = lids.get(`${String(data['type'])}:${data['lid']}`);
  if (id === undefined) throw invalid('/data/lid', `no earlier operation added a ${String(data['type'])} with lid ${data['lid']}`);
  return { type: data['type'], id };
}

/** The route an operation addresses: by href, or by ref/data type (plain create, update, delete, relationship). */
function routeFor(setups: readonly RouteSetup[], op: Operation, type: string | undefined): { setup: RouteSetup; id: string | undefined } {
  const method = methodFor[op.op];
  if (op.href !== undefined) {
    for (const setup of setups) {
      const match = setup.route.method === method ? matchPath(setup.route.path, op.href) : undefined;
      if (match !== undefined) return { setup, id: match.id };
    }
    throw invalid('/href', `no ${method} route at ${op.href}`);
  }
  const relationship = typeof op.ref?.['relationship'] === 'string' ? op.ref['relationship'] : undefined;
  // For add, a type may have several create routes (agents: /register); the one at the collection's base wins.
  const candidates = setups.filter((s) => {
    const ofType = (s.resource.jsonApi?.type ?? s.resource.name) === type && s.route.method === method;
    if (!ofType) return false;
    if (relationship !== undefined) return s.route.kind === 'patch_relationship' && s.route.relationship === relationship;
    return op.op === 'add' ? s.route.kind === 'post' : s.route.path.endsWith('/:id');
  });
  const setup = candidates.find((s) => s.route.path === `${jsonApiPrefix}${s.resource.jsonApi?.base ?? ''}`) ?? candidates[0];
  if (setup === undefined) throw invalid('', `${type ?? 'this type'} has no route for ${op.op}${relationship === undefined ? '' : ` of ${relationship}`}`);
  return { setup, id: undefined };
}

/** Errors of operation `index`, their pointers moved under `/atomic:operations/<index>`. */
function locate(error: unknown, index: number): unknown {
  const move = (e: ApiError): ApiError =>
    new ApiError(e.code, {
      ...e.options,
      source: { ...e.options.source, pointer: at(index, e.options.source?.pointer ?? (e.options.field === undefined ? '' : `/data/${e.options.field.kind === 'relationship' ? 'relationships' : 'attributes'}/${e.options.field.name}`)) },
      meta: { ...e.options.meta, operation: index },
    });
  if (error instanceof ApiErrors) {
    const [first, ...rest] = error.errors;
    return first === undefined ? error : new ApiErrors([move(first), ...rest.map(move)]);
  }
  if (error instanceof ApiError) return move(error);
  return error;
}

/**
 * JSON:API Atomic Operations: every operation runs in ONE transaction, in order; all succeed or nothing is written.
 * `add` creates (a `lid` names the new resource for later operations), `update` runs the plain update, an action
 * route given by `href` (`/api/json/work_items/<id>/claim`) or a relationship update, `remove` deletes.
 */
export async function runAtomic(
  ctx: OperationContext,
  setups: readonly RouteSetup[],
  body: unknown,
  emptyQuery: (setup: RouteSetup) => ParsedQuery,
): Promise<Record<string, unknown>[]> {
  const operations = parseOperations(body);
  // The operations' events are announced only once all of them have committed.
  const announcements: (() => void)[] = [];
  const results = await ctx.db.transaction(async (tx) => {
    const inTx: OperationContext = { ...ctx, db: tx, afterCommit: (announce) => announcements.push(announce) };
    const lids: LocalIds = new Map();
    const results: Record<string, unknown>[] = [];
    for (const [index, op] of operations.entries()) {
      try {
        const data = resolveLinkage(op.data, lids);
        const ref = op.ref === undefined ? undefined : resolveRef(op.ref, lids);
        const dataType = isRecord(data) && typeof data['type'] === 'string' ? data['type'] : undefined;
        const { setup, id: hrefId } = routeFor(setups, op, ref?.type ?? dataType);
        const id = hrefId ?? ref?.id;
        if (op.op !== 'add' && id === undefined) throw invalid('/ref', 'update and remove need ref.id, ref.lid or an href with the id');
        const query = emptyQuery(setup);
        if (setup.route.kind === 'patch_relationship' && setup.relationship !== undefined && setup.linkage !== undefined) {
          const target = setup.linkage({ data: resolveIdentifier(data, lids) });
          const relationshipBody = { type: setup.resource.jsonApi?.type ?? setup.resource.name, attributes: {}, relationships: { [setup.relationship.name]: target } };
          await runWrite(inTx, { resource: setup.resource, action: setup.action, body: relationshipBody, ...(id === undefined ? {} : { id }), query });
          results.push({});
          continue;
        }
        const input = data === undefined || setup.body === undefined ? undefined : setup.body({ data });
        const outcome = await runWrite(inTx, { resource: setup.resource, action: setup.action, body: input, ...(id === undefined ? {} : { id }), query });
        if (op.op === 'remove') {
          results.push({});
          continue;
        }
        if (op.op === 'add' && input?.lid !== undefined) lids.set(`${input.type}:${input.lid}`, String(outcome.record[setup.resource.primaryKey.name]));
        const written = (await writtenDocument(inTx, setup.resource, outcome, query)).document;
        results.push({ data: written.data, ...('meta' in written ? { meta: written.meta } : {}) });
      } catch (error) {
        throw locate(error, index);
      }
    }
    return results;
  });
  for (const announce of announcements) announce();
  return results;
}
