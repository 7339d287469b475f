// Oracle: log records emitted through the OpenTelemetry JS SDK, encoded by the official otlp-transformer (protobuf
// and JSON), decoded by ours, must carry exactly the values the SDK records had.
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { decodeExport, type LogRecordItem, type OtlpEncoding } from '../../src/otlp/index.ts';
import { hrTimeNanos, plainAttributes, plainValue } from './support/plain.ts';

function sdkLogRecords(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.instance.id': 'i-1' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('oracle.logger', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' });
  const inSpan = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    traceFlags: TraceFlags.SAMPLED,
  });
  logger.emit({
    timestamp: [1_700_000_000, 123_456_789],
    observedTimestamp: [1_700_000_000, 223_456_789],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'disk almost full',
    attributes: { 'disk.free': 12.5, mount: '/data', retries: 3 },
    context: inSpan,
  });
  logger.emit({
    severityNumber: SeverityNumber.ERROR2,
    body: { order: { id: 42, lines: ['a', 'b'] }, ok: false, raw: new Uint8Array([0, 1, 254, 255]) },
    eventName: 'order.failed',
  });
  logger.emit({ body: ['list', 7, 2.5, true] });
  logger.emit({});
  return exporter.getFinishedLogRecords();
}

const serializers = {
  protobuf: (records: ReadableLogRecord[]) => ProtobufLogsSerializer.serializeRequest(records),
  json: (records: ReadableLogRecord[]) => JsonLogsSerializer.serializeRequest(records),
} satisfies Record<OtlpEncoding, (records: ReadableLogRecord[]) => Uint8Array | undefined>;

/** What the OTLP log record must say, derived from the SDK record (logs.proto field semantics). */
function expectedRecord(record: ReadableLogRecord) {
  return {
    timeUnixNano: hrTimeNanos(record.hrTime),
    observedTimeUnixNano: hrTimeNanos(record.hrTimeObserved),
    severityNumber: record.severityNumber ?? 0,
    severityText: record.severityText ?? '',
    body: record.body,
    attributes: record.attributes,
    droppedAttributesCount: record.droppedAttributesCount,
    flags: record.spanContext?.traceFlags ?? 0,
    traceId: record.spanContext?.traceId ?? '',
    spanId: record.spanContext?.spanId ?? '',
    eventName: record.eventName ?? '',
    resource: record.resource.attributes,
    scope: { name: record.instrumentationScope.name, version: record.instrumentationScope.version ?? '' },
  };
}

function actualRecord(item: LogRecordItem) {
  return {
    timeUnixNano: item.timeUnixNano,
    observedTimeUnixNano: item.observedTimeUnixNano,
    severityNumber: item.severityNumber,
    severityText: item.severityText,
    body: item.body === undefined ? undefined : plainValue(item.body),
    attributes: plainAttributes(item.attributes),
    droppedAttributesCount: item.droppedAttributesCount,
    flags: item.flags,
    traceId: item.traceId,
    spanId: item.spanId,
    eventName: item.eventName,
    resource: plainAttributes(item.resource.attributes),
    scope: { name: item.scope.name, version: item.scope.version },
  };
}

describe.each(['protobuf', 'json'] as const)('log records from the OpenTelemetry JS SDK, %s', (encoding) => {
  const records = sdkLogRecords();
  const body = serializers[encoding](records);
  if (body === undefined) throw new Error('the SDK serializer produced no body');
  const batch = decodeExport('logs', encoding, body);

  it('accepts every record: full success', () => {
    expect(records).toHaveLength(4);
    expect(batch).toMatchObject({ received: 4, rejected: 0, partialSuccess: undefined });
  });

  it('decodes each record to the values the SDK record had, in order', () => {
    expect(batch.items.map(actualRecord)).toEqual(records.map(expectedRecord));
  });

  it('names severities and keeps the body structure', () => {
    expect(batch.items[0]).toMatchObject({ severityName: 'SEVERITY_NUMBER_WARN', body: { case: 'stringValue' } });
    expect(batch.items[1]).toMatchObject({ severityName: 'SEVERITY_NUMBER_ERROR2', body: { case: 'kvlistValue' } });
    expect(batch.items[2]?.body?.case).toBe('arrayValue');
    expect(batch.items[3]).toMatchObject({ severityName: 'SEVERITY_NUMBER_UNSPECIFIED', traceId: '', spanId: '' });
  });
});

it('decodes the protobuf and the JSON encodings of the same records to the same items', () => {
  const records = sdkLogRecords();
  const fromProtobuf = decodeExport('logs', 'protobuf', serializers.protobuf(records) ?? new Uint8Array());
  const fromJson = decodeExport('logs', 'json', serializers.json(records) ?? new Uint8Array());
  expect(fromJson).toEqual(fromProtobuf);
});
