import type { SQL } from 'drizzle-orm';
import type { JsonValue } from '../../resources/define.ts';
import type { ResourceModel } from '../../resources/model/index.ts';
import type { Actor } from '../actions/actor.ts';
import type { ActionObservation, EventSink } from '../actions/context.ts';
import type { Executor } from '../db/pool.ts';
import type { Registry } from '../runtime/registry.ts';

/** What every JSON:API operation runs with. Framework-agnostic: the Fastify adapter builds it per request. */
export interface OperationContext {
  readonly registry: Registry;
  readonly db: Executor;
  readonly actor: Actor | undefined;
  /** Server settings resources read (`context(...)`, `contextEquals`); the same object as `policyContext`. */
  readonly context: Readonly<Record<string, JsonValue>>;
  /**
   * The rows of `resource` this request may see, as a SQL predicate (read policies), or undefined for all rows.
   * Every read path applies it: lists, single reads, includes, related routes, counts, and the row a write targets.
   */
  readonly scope: (resource: ResourceModel) => SQL | undefined;
  /** Attributes of `resource` this request may not see (field policies): never rendered, filtered or sorted on. */
  readonly hidden: (resource: ResourceModel) => ReadonlySet<string>;
  /** `http://host:port` links are made absolute with (JSON:API links are URLs clients follow as they are). */
  readonly origin: string;
  /** Server settings policies read with `contextEquals`. */
  readonly policyContext: Readonly<Record<string, JsonValue>>;
  /** Where actions with `notify` publish (a telemetry row and a NOTIFY, in the write's transaction). */
  readonly events?: EventSink;
  /** The request's trace id, carried into published events. */
  readonly traceId?: string;
  /** Set inside atomic operations: announcements of the actions wait for the operations' commit. */
  readonly afterCommit?: (announce: () => void) => void;
  /** Told how each action run ended (metrics). */
  readonly observe?: (observation: ActionObservation) => void;
}
