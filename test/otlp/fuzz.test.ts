// Robustness: whatever bytes arrive, decoding either returns a batch or throws the typed 400 (OtlpError
// UNDECODABLE_BODY), never another exception (a 500) and never a hang. Random bytes, and mutations of real SDK bodies
// (truncated, bytes flipped, bytes inserted), which reach much deeper into the readers than noise does.
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExport, OtlpError, otlpSignals, type OtlpEncoding, type OtlpSignal } from '../../src/otlp/index.ts';

/** The property: a batch, or an OtlpError 400 with a message. */
function decodesOrRefuses(signal: OtlpSignal, encoding: OtlpEncoding, body: Uint8Array): boolean {
  try {
    const batch = decodeExport(signal, encoding, body);
    return batch.received === batch.items.length + batch.rejected;
  } catch (error) {
    if (error instanceof OtlpError && error.code === 'UNDECODABLE_BODY' && error.message.length > 0) return true;
    throw error;
  }
}

function sdkBodies(): { traces: Uint8Array; logs: Uint8Array; tracesJson: Uint8Array } {
  const spanExporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] }).getTracer(
    'fuzz',
    '1',
  );
  const root = tracer.startSpan('root', {
    kind: SpanKind.SERVER,
    attributes: { a: 1, b: ['x', 'y'], c: 2.5, d: true },
  });
  root.addEvent('event', { k: 'v' });
  tracer
    .startSpan(
      'child',
      { links: [{ context: root.spanContext(), attributes: { l: 1 } }] },
      trace.setSpan(ROOT_CONTEXT, root),
    )
    .end();
  root.end();
  const spans = spanExporter.getFinishedSpans();

  const logExporter = new InMemoryLogRecordExporter();
  const logger = new LoggerProvider({
    processors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
  }).getLogger('fuzz');
  logger.emit({ body: { nested: { list: [1, 'two', false] } }, attributes: { a: 'b' }, severityNumber: 9 });

  return {
    traces: ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array(),
    tracesJson: JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array(),
    logs: ProtobufLogsSerializer.serializeRequest(logExporter.getFinishedLogRecords()) ?? new Uint8Array(),
  };
}

/** A body changed in one of three ways at a random place. */
const mutated = (body: Uint8Array) =>
  fc.oneof(
    fc.nat({ max: body.length }).map((end) => body.subarray(0, end)),
    fc.tuple(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
      const copy = Uint8Array.from(body);
      copy[at] = (copy[at] ?? 0) ^ mask;
      return copy;
    }),
    fc
      .tuple(fc.nat({ max: body.length }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
      .map(([at, inserted]) => Uint8Array.from([...body.subarray(0, at), ...inserted, ...body.subarray(at)])),
  );

describe('random bytes', () => {
  it.each(otlpSignals)('%s, protobuf', (signal) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (body) => decodesOrRefuses(signal, 'protobuf', body)),
      { numRuns: 400 },
    );
  });

  it.each(otlpSignals)('%s, JSON (random JSON values and random text)', (signal) => {
    const bodies = fc.oneof(
      fc.json({ maxDepth: 6 }).map((text) => Buffer.from(text, 'utf8')),
      fc.string({ unit: 'binary', maxLength: 100 }).map((text) => Buffer.from(text, 'utf8')),
    );
    fc.assert(
      fc.property(bodies, (body) => decodesOrRefuses(signal, 'json', body)),
      { numRuns: 300 },
    );
  });
});

describe('mutated SDK bodies', () => {
  const bodies = sdkBodies();

  it('traces, protobuf', () => {
    fc.assert(
      fc.property(mutated(bodies.traces), (body) => decodesOrRefuses('traces', 'protobuf', body)),
      { numRuns: 1500 },
    );
  });

  it('logs, protobuf', () => {
    fc.assert(
      fc.property(mutated(bodies.logs), (body) => decodesOrRefuses('logs', 'protobuf', body)),
      { numRuns: 1000 },
    );
  });

  it('the same bytes read as another signal', () => {
    fc.assert(
      fc.property(mutated(bodies.traces), (body) => decodesOrRefuses('metrics', 'protobuf', body)),
      { numRuns: 500 },
    );
  });

  it('traces, JSON', () => {
    fc.assert(
      fc.property(mutated(bodies.tracesJson), (body) => decodesOrRefuses('traces', 'json', body)),
      { numRuns: 800 },
    );
  });

  it('the unmutated bodies decode fully (the mutations start from valid input)', () => {
    expect(decodeExport('traces', 'protobuf', bodies.traces)).toMatchObject({ received: 2, rejected: 0 });
    expect(decodeExport('traces', 'json', bodies.tracesJson)).toMatchObject({ received: 2, rejected: 0 });
    expect(decodeExport('logs', 'protobuf', bodies.logs)).toMatchObject({ received: 1, rejected: 0 });
  });
});
