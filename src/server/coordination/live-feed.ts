import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { JsonValue } from '../../../resources/define.ts';
import type { EventBus } from '../../events/bus.ts';
import type { BusEvent } from '../../events/sink.ts';
import { ApiError } from '../../jsonapi/errors.ts';
import { operationContext } from '../jsonapi/context.ts';

/** A client this far behind is cut off rather than buffered without bound (it reconnects and reads the API). */
const maxBufferedBytes = 1024 * 1024;
const keepAliveMs = 15_000;

/**
 * GET /api/coordination/events: committed changes as Server-Sent Events (`event: coordination.work.claimed`), from the
 * PostgreSQL-backed bus, so a client of any process sees every process's changes. A subscriber receives the events
 * of resources it may read without restriction (its read policy is not row-dependent), minus the fields its field
 * policies hide: the feed never shows more than the API would.
 */
export function liveFeedRoute(app: FastifyInstance, bus: EventBus): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  app.get('/events', async (request, reply) => {
    if (request.actor === undefined) throw new ApiError('UNAUTHORIZED', { detail: 'Authentication is required to follow the live feed' });
    const ctx = operationContext(request);
    const visible = (event: BusEvent): Record<string, JsonValue> | undefined => {
      const resource = app.registry.model.resources.find((r) => r.name === event.resource);
      if (resource === undefined || ctx.scope(resource) !== undefined) return undefined;
      const hidden = ctx.hidden(resource);
      const attributes = Object.fromEntries(Object.entries(event.attributes).filter(([name]) => !hidden.has(name)));
      return { event: [...event.event], resource: event.resource, action: event.action, id: event.id, trace_id: event.trace_id, at: event.at, attributes };
    };
    const stream = reply.raw;
    reply.hijack();
    stream.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold events back in their buffers.
      'x-accel-buffering': 'no',
    });
    stream.write('retry: 2000\n: connected\n\n');
    open.add(stream);
    const unsubscribe = bus.subscribe((event) => {
      const shown = visible(event);
      if (shown === undefined) return;
      if (stream.writableLength > maxBufferedBytes) {
        stream.end();
        return;
      }
      stream.write(`event: ${event.event.join('.')}\ndata: ${JSON.stringify(shown)}\n\n`);
    });
    const keepAlive = setInterval(() => stream.write(': keep-alive\n\n'), keepAliveMs);
    keepAlive.unref();
    stream.on('close', () => {
      unsubscribe();
      clearInterval(keepAlive);
      open.delete(stream);
    });
  });
}
