// Protobuf readers for the data points of opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto.
import type { Reader } from 'protobufjs/minimal.js';
import {
  newBuckets,
  newExemplar,
  newValueAtQuantile,
  type Buckets,
  type Exemplar,
  type ExponentialHistogramDataPoint,
  type HistogramDataPoint,
  type NumberDataPoint,
  type SummaryDataPoint,
  type ValueAtQuantile,
} from '../messages/metrics.ts';
import { readKeyValue } from './common-reader.ts';
import {
  expectEnd,
  lengthEnd,
  readBytes,
  readDouble,
  readFixed64,
  readRepeatedDouble,
  readRepeatedFixed64,
  readRepeatedUint64,
  readSfixed64,
  readSint32,
  readUint32,
  skipField,
} from './wire.ts';

/**
 * metrics.proto `NumberDataPoint`:
 *   reserved 1 · 7 attributes repeated KeyValue · 2 start_time_unix_nano fixed64 · 3 time_unix_nano fixed64 ·
 *   oneof value { 4 as_double double · 6 as_int sfixed64 } · 5 exemplars repeated Exemplar · 8 flags uint32
 */
export function readNumberDataPoint(reader: Reader, end: number, point: NumberDataPoint): NumberDataPoint {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 2:
        point.startTimeUnixNano = readFixed64(reader, tag, 'NumberDataPoint.start_time_unix_nano');
        break;
      case 3:
        point.timeUnixNano = readFixed64(reader, tag, 'NumberDataPoint.time_unix_nano');
        break;
      case 4:
        point.value = { case: 'asDouble', value: readDouble(reader, tag, 'NumberDataPoint.as_double') };
        break;
      case 5:
        point.exemplars.push(readExemplar(reader, lengthEnd(reader, tag, 'NumberDataPoint.exemplars'), newExemplar()));
        break;
      case 6:
        point.value = { case: 'asInt', value: readSfixed64(reader, tag, 'NumberDataPoint.as_int') };
        break;
      case 7:
        point.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'NumberDataPoint.attributes')));
        break;
      case 8:
        point.flags = readUint32(reader, tag, 'NumberDataPoint.flags');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'NumberDataPoint');
  return point;
}

/**
 * metrics.proto `HistogramDataPoint`:
 *   reserved 1 · 9 attributes repeated KeyValue · 2 start_time_unix_nano fixed64 · 3 time_unix_nano fixed64 ·
 *   4 count fixed64 · 5 sum optional double · 6 bucket_counts repeated fixed64 · 7 explicit_bounds repeated double ·
 *   8 exemplars repeated Exemplar · 10 flags uint32 · 11 min optional double · 12 max optional double
 */
export function readHistogramDataPoint(reader: Reader, end: number, point: HistogramDataPoint): HistogramDataPoint {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 2:
        point.startTimeUnixNano = readFixed64(reader, tag, 'HistogramDataPoint.start_time_unix_nano');
        break;
      case 3:
        point.timeUnixNano = readFixed64(reader, tag, 'HistogramDataPoint.time_unix_nano');
        break;
      case 4:
        point.count = readFixed64(reader, tag, 'HistogramDataPoint.count');
        break;
      case 5:
        point.sum = readDouble(reader, tag, 'HistogramDataPoint.sum');
        break;
      case 6:
        readRepeatedFixed64(reader, tag, 'HistogramDataPoint.bucket_counts', point.bucketCounts);
        break;
      case 7:
        readRepeatedDouble(reader, tag, 'HistogramDataPoint.explicit_bounds', point.explicitBounds);
        break;
      case 8:
        point.exemplars.push(
          readExemplar(reader, lengthEnd(reader, tag, 'HistogramDataPoint.exemplars'), newExemplar()),
        );
        break;
      case 9:
        point.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'HistogramDataPoint.attributes')));
        break;
      case 10:
        point.flags = readUint32(reader, tag, 'HistogramDataPoint.flags');
        break;
      case 11:
        point.min = readDouble(reader, tag, 'HistogramDataPoint.min');
        break;
      case 12:
        point.max = readDouble(reader, tag, 'HistogramDataPoint.max');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'HistogramDataPoint');
  return point;
}

/**
 * metrics.proto `ExponentialHistogramDataPoint`:
 *   1 attributes repeated KeyValue · 2 start_time_unix_nano fixed64 · 3 time_unix_nano fixed64 · 4 count fixed64 ·
 *   5 sum optional double · 6 scale sint32 · 7 zero_count fixed64 · 8 positive Buckets · 9 negative Buckets ·
 *   10 flags uint32 · 11 exemplars repeated Exemplar · 12 min optional double · 13 max optional double ·
 *   14 zero_threshold double
 */
export function readExponentialHistogramDataPoint(
  reader: Reader,
  end: number,
  point: ExponentialHistogramDataPoint,
): ExponentialHistogramDataPoint {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        point.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'ExponentialHistogramDataPoint.attributes')));
        break;
      case 2:
        point.startTimeUnixNano = readFixed64(reader, tag, 'ExponentialHistogramDataPoint.start_time_unix_nano');
        break;
      case 3:
        point.timeUnixNano = readFixed64(reader, tag, 'ExponentialHistogramDataPoint.time_unix_nano');
        break;
      case 4:
        point.count = readFixed64(reader, tag, 'ExponentialHistogramDataPoint.count');
        break;
      case 5:
        point.sum = readDouble(reader, tag, 'ExponentialHistogramDataPoint.sum');
        break;
      case 6:
        point.scale = readSint32(reader, tag, 'ExponentialHistogramDataPoint.scale');
        break;
      case 7:
        point.zeroCount = readFixed64(reader, tag, 'ExponentialHistogramDataPoint.zero_count');
        break;
      case 8:
        point.positive = readBuckets(
          reader,
          lengthEnd(reader, tag, 'ExponentialHistogramDataPoint.positive'),
          point.positive ?? newBuckets(),
        );
        break;
      case 9:
        point.negative = readBuckets(
          reader,
          lengthEnd(reader, tag, 'ExponentialHistogramDataPoint.negative'),
          point.negative ?? newBuckets(),
        );
        break;
      case 10:
        point.flags = readUint32(reader, tag, 'ExponentialHistogramDataPoint.flags');
        break;
      case 11:
        point.exemplars.push(
          readExemplar(reader, lengthEnd(reader, tag, 'ExponentialHistogramDataPoint.exemplars'), newExemplar()),
        );
        break;
      case 12:
        point.min = readDouble(reader, tag, 'ExponentialHistogramDataPoint.min');
        break;
      case 13:
        point.max = readDouble(reader, tag, 'ExponentialHistogramDataPoint.max');
        break;
      case 14:
        point.zeroThreshold = readDouble(reader, tag, 'ExponentialHistogramDataPoint.zero_threshold');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ExponentialHistogramDataPoint');
  return point;
}

/**
 * metrics.proto `ExponentialHistogramDataPoint.Buckets`:
 *   1 offset sint32 · 2 bucket_counts repeated uint64
 */
function readBuckets(reader: Reader, end: number, buckets: Buckets): Buckets {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        buckets.offset = readSint32(reader, tag, 'Buckets.offset');
        break;
      case 2:
        readRepeatedUint64(reader, tag, 'Buckets.bucket_counts', buckets.bucketCounts);
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Buckets');
  return buckets;
}

/**
 * metrics.proto `SummaryDataPoint`:
 *   reserved 1 · 7 attributes repeated KeyValue · 2 start_time_unix_nano fixed64 · 3 time_unix_nano fixed64 ·
 *   4 count fixed64 · 5 sum double · 6 quantile_values repeated ValueAtQuantile · 8 flags uint32
 */
export function readSummaryDataPoint(reader: Reader, end: number, point: SummaryDataPoint): SummaryDataPoint {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 2:
        point.startTimeUnixNano = readFixed64(reader, tag, 'SummaryDataPoint.start_time_unix_nano');
        break;
      case 3:
        point.timeUnixNano = readFixed64(reader, tag, 'SummaryDataPoint.time_unix_nano');
        break;
      case 4:
        point.count = readFixed64(reader, tag, 'SummaryDataPoint.count');
        break;
      case 5:
        point.sum = readDouble(reader, tag, 'SummaryDataPoint.sum');
        break;
      case 6:
        point.quantileValues.push(
          readValueAtQuantile(reader, lengthEnd(reader, tag, 'SummaryDataPoint.quantile_values'), newValueAtQuantile()),
        );
        break;
      case 7:
        point.attributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'SummaryDataPoint.attributes')));
        break;
      case 8:
        point.flags = readUint32(reader, tag, 'SummaryDataPoint.flags');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'SummaryDataPoint');
  return point;
}

/**
 * metrics.proto `SummaryDataPoint.ValueAtQuantile`:
 *   1 quantile double · 2 value double
 */
function readValueAtQuantile(reader: Reader, end: number, quantile: ValueAtQuantile): ValueAtQuantile {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 1:
        quantile.quantile = readDouble(reader, tag, 'ValueAtQuantile.quantile');
        break;
      case 2:
        quantile.value = readDouble(reader, tag, 'ValueAtQuantile.value');
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'ValueAtQuantile');
  return quantile;
}

/**
 * metrics.proto `Exemplar`:
 *   reserved 1 · 7 filtered_attributes repeated KeyValue · 2 time_unix_nano fixed64 ·
 *   oneof value { 3 as_double double · 6 as_int sfixed64 } · 4 span_id bytes · 5 trace_id bytes
 */
function readExemplar(reader: Reader, end: number, exemplar: Exemplar): Exemplar {
  while (reader.pos < end) {
    const tag = reader.tag();
    switch (tag >>> 3) {
      case 2:
        exemplar.timeUnixNano = readFixed64(reader, tag, 'Exemplar.time_unix_nano');
        break;
      case 3:
        exemplar.value = { case: 'asDouble', value: readDouble(reader, tag, 'Exemplar.as_double') };
        break;
      case 4:
        exemplar.spanId = readBytes(reader, tag, 'Exemplar.span_id');
        break;
      case 5:
        exemplar.traceId = readBytes(reader, tag, 'Exemplar.trace_id');
        break;
      case 6:
        exemplar.value = { case: 'asInt', value: readSfixed64(reader, tag, 'Exemplar.as_int') };
        break;
      case 7:
        exemplar.filteredAttributes.push(readKeyValue(reader, lengthEnd(reader, tag, 'Exemplar.filtered_attributes')));
        break;
      default:
        skipField(reader, tag);
    }
  }
  expectEnd(reader, end, 'Exemplar');
  return exemplar;
}
