import type { JsonValue } from '../../resources/define.ts';
import type { ActionModel, ResourceModel } from '../../resources/model/index.ts';
import type { Executor } from '../db/pool.ts';
import type { Registry } from '../runtime/registry.ts';
import type { Actor } from './actor.ts';

/** Everything an action needs besides its input. */
export interface ActionContext {
  readonly registry: Registry;
  readonly db: Executor;
  readonly actor: Actor | undefined;
  /** Server settings policies may read with `contextEquals` (e.g. `agent_registration`). */
  readonly context?: Readonly<Record<string, JsonValue>>;
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
