import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../actions/actor.ts';
import { OtlpError } from '../errors.ts';

/** Who may export telemetry: whoever may record a telemetry event (resources/telemetry-event.resource.ts). */
const exporters = new Set(['admin', 'collector', 'agent']);

const actorType = (actor: Actor): string => (typeof actor['type'] === 'string' ? actor['type'] : '');

/** The auth plugin's failures (JSON:API errors) by their HTTP status; nothing else is read from them. */
function authFailure(error: unknown): OtlpError | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  if (error.status === 401) return new OtlpError('UNAUTHENTICATED', error.message, { cause: error });
  if (error.status === 429) {
    const retryAfter =
      'options' in error && typeof error.options === 'object' && error.options !== null && 'retryAfter' in error.options
        ? error.options.retryAfter
        : undefined;
    return new OtlpError('AUTHENTICATION_THROTTLED', error.message, {
      cause: error,
      ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  return undefined;
}

/** The request's actor from its bearer token (the auth plugin); its failures as OTLP errors. */
export async function authenticatedActor(request: FastifyRequest): Promise<Actor | undefined> {
  try {
    return await request.server.authenticate(request);
  } catch (error) {
    throw authFailure(error) ?? error;
  }
}

/**
 * With OTLP_INGEST_TOKENS set, an export needs a bearer token of a collector (or of an agent, or the admin): 401
 * without one, 403 for an actor that does not send telemetry. Unset, ingest is open (the configuration's promise).
 */
export async function requireExporter(request: FastifyRequest): Promise<void> {
  const actor = await authenticatedActor(request);
  if (actor === undefined) {
    throw new OtlpError(
      'UNAUTHENTICATED',
      'OTLP ingest needs Authorization: Bearer <token> (one of OTLP_INGEST_TOKENS)',
    );
  }
  if (!exporters.has(actorType(actor))) {
    throw new OtlpError('PERMISSION_DENIED', `a ${actorType(actor) || 'token'} actor may not export telemetry`);
  }
}
