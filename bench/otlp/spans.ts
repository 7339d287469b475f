// Realistic ExportTraceServiceRequest bodies for the benchmark: HTTP server and DB client spans with the attributes
// instrumentations set, some events and errors, unique ids (so nothing is a duplicate), encoded with the reference
// protobuf codec from the official opentelemetry-proto files.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { loadReferenceCodec } from '../../test/otlp/support/reference-codec.ts';

const codec = loadReferenceCodec();
const str = (stringValue: string) => ({ stringValue });
const int = (n: number) => ({ intValue: String(n) });
const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

const routes = ['/api/users/:id', '/api/orders', '/api/orders/:id/items', '/health', '/api/cart'];
const services = ['checkout', 'payments', 'catalog', 'frontend'];

function spanOf(
  i: number,
  traceId: Uint8Array,
  parentSpanId: Uint8Array | undefined,
  startNs: bigint,
): Record<string, unknown> {
  const route = routes[i % routes.length] ?? '/';
  const server = parentSpanId === undefined;
  const status = i % 29 === 0 ? { code: 2, message: 'upstream timeout' } : { code: 0 };
  return {
    traceId,
    spanId: new Uint8Array(randomBytes(8)),
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    name: server ? `GET ${route}` : 'SELECT orders',
    kind: server ? 2 : 3,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: (startNs + BigInt(1_000_000 + (i % 50) * 137_001)).toString(),
    attributes: server
      ? [
          kv('http.request.method', str('GET')),
          kv('http.route', str(route)),
          kv('url.path', str(route.replace(':id', String(1000 + i)))),
          kv('http.response.status_code', int(status.code === 2 ? 504 : 200)),
          kv('server.address', str('api.example.com')),
          kv('user_agent.original', str('Mozilla/5.0 (X11; Linux x86_64) bench')),
          kv('client.address', str(`10.0.${i % 255}.${(i * 7) % 255}`)),
        ]
      : [
          kv('db.system', str('postgresql')),
          kv('db.namespace', str('orders')),
          kv('db.query.text', str('SELECT id, total FROM orders WHERE customer_id = $1 LIMIT 50')),
          kv('server.address', str('db.internal')),
          kv('server.port', int(5432)),
        ],
    events:
      i % 7 === 0
        ? [
            {
              timeUnixNano: (startNs + 500_000n).toString(),
              name: 'cache.miss',
              attributes: [kv('cache.key', str(`user:${i}`))],
            },
          ]
        : [],
    status,
  };
}

/** One request of `spanCount` spans (pairs of server + DB client spans, traces of 2), from one service. */
export function traceBody(spanCount: number, seed: number): Buffer {
  const service = services[seed % services.length] ?? 'svc';
  const spans: Record<string, unknown>[] = [];
  const start = 1_700_000_000_000_000_000n + BigInt(seed) * 1_000_000_000n;
  for (let i = 0; spans.length < spanCount; i += 2) {
    const traceId = new Uint8Array(randomBytes(16));
    const root = spanOf(i, traceId, undefined, start + BigInt(i) * 1_000_000n);
    spans.push(root);
    const rootId = root['spanId'];
    if (spans.length < spanCount && rootId instanceof Uint8Array)
      spans.push(spanOf(i + 1, traceId, rootId, start + BigInt(i) * 1_000_000n + 200_000n));
  }
  const request = {
    resourceSpans: [
      {
        resource: {
          attributes: [
            kv('service.name', str(service)),
            kv('service.version', str('2.4.1')),
            kv('service.instance.id', str(`${service}-7d9f8b6c5-x2x9q`)),
            kv('host.name', str('node-17')),
            kv('telemetry.sdk.language', str('nodejs')),
            kv('telemetry.sdk.name', str('opentelemetry')),
            kv('deployment.environment', str('production')),
          ],
        },
        scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' }, spans }],
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      },
    ],
  };
  return Buffer.from(codec.encode('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', request));
}

/** A body of at least `bytes` bytes (the memory phase's 4 MiB bodies). */
export function traceBodyOfSize(bytes: number, seed: number): Buffer {
  const probe = traceBody(512, seed);
  return traceBody(Math.ceil((bytes / probe.length) * 512), seed);
}
