import type { PartialSuccess } from '../model/common.ts';

/** How many reasons the `error_message` spells out ("first few"); the rest are counted. */
export const maxReasons = 5;
const maxReasonLength = 300;

/**
 * Collects rejected items and warnings while a request is normalized, and turns them into the partial success:
 * `error_message` "SHOULD be a human-readable error message in English ... explain why the server rejected parts
 * of the data" (specification.md, "Partial Success"). It stays far below the 4 MiB response limit the spec sets.
 */
export class ProblemLog {
  #rejected = 0;
  readonly #reasons: string[] = [];
  #unlisted = 0;

  get rejected(): number {
    return this.#rejected;
  }

  /** The item at `where` (e.g. `resource_spans[0].scope_spans[1].spans[4]`) is dropped because of `reason`. */
  reject(where: string, reason: string): void {
    this.#rejected += 1;
    this.#note(`${where}: ${reason}`);
  }

  /** Accepted, but something was ignored (sent as a warning: rejected = 0 with a message, as the spec allows). */
  warn(where: string, reason: string): void {
    this.#note(`${where}: ${reason}`);
  }

  #note(text: string): void {
    if (this.#reasons.length < maxReasons) {
      this.#reasons.push(text.length > maxReasonLength ? `${text.slice(0, maxReasonLength)}…` : text);
    } else {
      this.#unlisted += 1;
    }
  }

  /** `undefined` when nothing was rejected or warned about: full success leaves `partial_success` unset. */
  partialSuccess(received: number, unit: string): PartialSuccess | undefined {
    if (this.#reasons.length === 0) return undefined;
    const head =
      this.#rejected > 0
        ? `Rejected ${this.#rejected} of ${received} ${unit}`
        : `Accepted all ${received} ${unit}, with warnings`;
    const tail = this.#unlisted > 0 ? `; and ${this.#unlisted} more` : '';
    return { rejected: this.#rejected, errorMessage: `${head}: ${this.#reasons.join('; ')}${tail}` };
  }
}
