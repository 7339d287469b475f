// A reference protobuf codec for tests: protobufjs reflection over the official opentelemetry-proto v1.11.0 files
// (test/fixtures/otlp/proto). Independent of src/otlp, whose readers are hand-written.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const protoDir = fileURLToPath(new URL('../../fixtures/otlp/proto/', import.meta.url));

const files = [
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'google/rpc/status.proto',
];

export interface ReferenceCodec {
  readonly type: (name: ReferenceMessage) => protobuf.Type;
  /** `Type.fromObject` + `encode`: plain objects (bytes as Uint8Array, int64 as string/number) → bytes. */
  readonly encode: (name: ReferenceMessage, value: Record<string, unknown>) => Uint8Array;
  /** bytes → plain object (int64 as strings, enums as numbers, bytes as Uint8Array, defaults left out). */
  readonly decode: (name: ReferenceMessage, bytes: Uint8Array) => Record<string, unknown>;
}

export type ReferenceMessage =
  | 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'
  | 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'
  | 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest'
  | 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse'
  | 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'
  | 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'
  | 'opentelemetry.proto.common.v1.AnyValue'
  | 'google.rpc.Status';

export function loadReferenceCodec(): ReferenceCodec {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(protoDir, target);
  root.loadSync(files);
  const type = (name: ReferenceMessage): protobuf.Type => root.lookupType(name);
  return {
    type,
    encode: (name, value) => {
      const messageType = type(name);
      const message = messageType.fromObject(value);
      const problem = messageType.verify(message);
      if (problem !== null) throw new Error(`reference fixture does not verify: ${problem}`);
      return messageType.encode(message).finish();
    },
    decode: (name, bytes) => {
      const messageType = type(name);
      return messageType.toObject(messageType.decode(bytes), { longs: String, enums: Number, bytes: Uint8Array });
    },
  };
}
