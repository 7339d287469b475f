import type { JsonValue } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import type { SQL } from 'drizzle-orm';
import type { Executor } from '../db/pool.ts';
import type { Registry } from '../runtime/registry.ts';
import type { Actor } from './actor.ts';

/** An action's event as known before its row is written. */
export interface EventDescription {
  readonly resource: ResourceModel;
  readonly action: ActionModel;
  /** ['coordination', 'work', 'claimed'] */
  readonly name: readonly string[];
  readonly actor: Actor | undefined;
  readonly traceId?: string;
}

/** What an action with `notify` publishes once its write has committed. */
export interface DomainEvent extends EventDescription {
  readonly record: ResourceRecord;
}

/**
 * Where domain events go. `recordWith` makes the event's durable record part of the write's own statement (a
 * data-modifying CTE reading the written row from `written`), so it exists if and only if the change commits, at no
 * extra round trip or transaction. `announce` runs once the write has committed (a NOTIFY to every process), so a
 * rolled-back change is never announced.
 */
export interface EventSink {
  recordWith(event: EventDescription, written: SQL): SQL | undefined;
  announce(event: DomainEvent): void;
}

/** One finished action run: metrics (claim latency) hang off this without knowing the engine. */
export interface ActionObservation {
  readonly resource: string;
  readonly action: string;
  /** 'ok', 'none' (a targeted action found nothing), or the error code in lower case ('state_conflict'...). */
  readonly outcome: string;
  readonly seconds: number;
}

/** Everything an action needs besides its input. */
export interface ActionContext {
  readonly registry: Registry;
  readonly db: Executor;
  readonly actor: Actor | undefined;
  /** Server settings resources read with `contextEquals` / `context(...)` (agent_registration, max_concurrent_work...). */
  readonly context?: Readonly<Record<string, JsonValue>>;
  readonly events?: EventSink;
  /** The request's trace id (traceparent / x-trace-id), carried into published events. */
  readonly traceId?: string;
  /**
   * Set by a caller that holds the transaction the action runs in (atomic operations): announcements wait for that
   * caller's commit. Unset: the action's own unit of work is the transaction, and announces when it commits.
   */
  readonly afterCommit?: (announce: () => void) => void;
  /** Told how each action run ended and how long it took (after its transaction, when it owns one). */
  readonly observe?: (observation: ActionObservation) => void;
}

export interface ActionRequest {
  readonly resource: ResourceModel;
  readonly action: ActionModel;
  /** Accepted attributes and arguments, keyed by name (the JSON:API `data.attributes`). */
  readonly input: Readonly<Record<string, JsonValue>>;
  /** The primary key, for update, destroy and single reads. */
  readonly id?: string;
}

/** What an action gives back: the record, and `meta` such as a token shown only this once. */
export interface ActionOutcome {
  readonly record: ResourceRecord;
  readonly meta: Readonly<Record<string, JsonValue>>;
}

/** A stored record as the API shows it: attributes by name, datetimes as ISO 8601 with microseconds. */
export type ResourceRecord = Readonly<Record<string, JsonValue>>;
