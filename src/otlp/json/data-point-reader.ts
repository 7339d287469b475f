// OTLP/JSON readers for the data points of opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto,
// declared as field tables for json-message.ts. fixed64/uint64 counts are strings or numbers; sfixed64 `asInt`
// likewise.
import {
  newBuckets,
  newExemplar,
  newExponentialHistogramDataPoint,
  newHistogramDataPoint,
  newNumberDataPoint,
  newSummaryDataPoint,
  newValueAtQuantile,
  type ExponentialHistogramDataPoint,
  type HistogramDataPoint,
  type NumberDataPoint,
  type SummaryDataPoint,
} from '../messages/metrics.ts';
import { keyValuesFromJson } from './common-reader.ts';
import { jsonMessage, listOf, messageOf, messagesOf, oneof, type JsonReader } from './json-message.ts';
import { double, hexId, int32, int64, uint32, uint64 } from './values.ts';

/** `oneof value { asDouble, asInt }` of NumberDataPoint and Exemplar: setting both is an error (proto3 JSON mapping). */
const numberValue = oneof('sets more than one value', { asDouble: double, asInt: int64 });

/**
 * metrics.proto `Exemplar`: filteredAttributes · timeUnixNano · oneof value { asDouble · asInt } · spanId (hex) ·
 * traceId (hex).
 */
const exemplarFromJson = jsonMessage(newExemplar, {
  filteredAttributes: keyValuesFromJson,
  timeUnixNano: uint64,
  value: numberValue,
  spanId: hexId,
  traceId: hexId,
});

/**
 * metrics.proto `NumberDataPoint`: attributes · startTimeUnixNano · timeUnixNano · oneof value { asDouble · asInt } ·
 * exemplars · flags.
 */
export const numberDataPointFromJson: JsonReader<NumberDataPoint> = jsonMessage(newNumberDataPoint, {
  attributes: keyValuesFromJson,
  startTimeUnixNano: uint64,
  timeUnixNano: uint64,
  value: numberValue,
  exemplars: messagesOf(exemplarFromJson),
  flags: uint32,
});

/**
 * metrics.proto `HistogramDataPoint`: attributes · startTimeUnixNano · timeUnixNano · count · sum · bucketCounts ·
 * explicitBounds · exemplars · flags · min · max.
 */
export const histogramDataPointFromJson: JsonReader<HistogramDataPoint> = jsonMessage(newHistogramDataPoint, {
  attributes: keyValuesFromJson,
  startTimeUnixNano: uint64,
  timeUnixNano: uint64,
  count: uint64,
  sum: double,
  bucketCounts: listOf(uint64),
  explicitBounds: listOf(double),
  exemplars: messagesOf(exemplarFromJson),
  flags: uint32,
  min: double,
  max: double,
});

/** metrics.proto `ExponentialHistogramDataPoint.Buckets`: offset (sint32) · bucketCounts (uint64). */
const bucketsFromJson = jsonMessage(newBuckets, { offset: int32, bucketCounts: listOf(uint64) });

/**
 * metrics.proto `ExponentialHistogramDataPoint`: attributes · startTimeUnixNano · timeUnixNano · count · sum · scale ·
 * zeroCount · positive · negative · flags · exemplars · min · max · zeroThreshold.
 */
export const exponentialHistogramDataPointFromJson: JsonReader<ExponentialHistogramDataPoint> = jsonMessage(
  newExponentialHistogramDataPoint,
  {
    attributes: keyValuesFromJson,
    startTimeUnixNano: uint64,
    timeUnixNano: uint64,
    count: uint64,
    sum: double,
    scale: int32,
    zeroCount: uint64,
    positive: messageOf(bucketsFromJson),
    negative: messageOf(bucketsFromJson),
    flags: uint32,
    exemplars: messagesOf(exemplarFromJson),
    min: double,
    max: double,
    zeroThreshold: double,
  },
);

/** metrics.proto `SummaryDataPoint.ValueAtQuantile`: quantile · value. */
const valueAtQuantileFromJson = jsonMessage(newValueAtQuantile, { quantile: double, value: double });

/**
 * metrics.proto `SummaryDataPoint`: attributes · startTimeUnixNano · timeUnixNano · count · sum · quantileValues ·
 * flags.
 */
export const summaryDataPointFromJson: JsonReader<SummaryDataPoint> = jsonMessage(newSummaryDataPoint, {
  attributes: keyValuesFromJson,
  startTimeUnixNano: uint64,
  timeUnixNano: uint64,
  count: uint64,
  sum: double,
  quantileValues: messagesOf(valueAtQuantileFromJson),
  flags: uint32,
});
