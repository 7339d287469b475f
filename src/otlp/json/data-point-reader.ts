// OTLP/JSON readers for the data points of opentelemetry-proto v1.11.0 opentelemetry/proto/metrics/v1/metrics.proto.
// Members are lowerCamelCase (proto names accepted); unknown ones ignored. fixed64/uint64 counts are strings or
// numbers; sfixed64 `asInt` likewise.
import {
  newBuckets,
  newExemplar,
  newExponentialHistogramDataPoint,
  newHistogramDataPoint,
  newNumberDataPoint,
  newSummaryDataPoint,
  newValueAtQuantile,
  type Buckets,
  type Exemplar,
  type ExponentialHistogramDataPoint,
  type HistogramDataPoint,
  type NumberDataPoint,
  type NumberValue,
  type SummaryDataPoint,
  type ValueAtQuantile,
} from '../messages/metrics.ts';
import { keyValuesFromJson } from './common-reader.ts';
import {
  double,
  hexId,
  int32,
  int64,
  JsonShapeError,
  list,
  message,
  messages,
  uint32,
  uint64,
  type JsonObject,
} from './values.ts';

/** `oneof value { asDouble, asInt }`: setting both is an error (proto3 JSON mapping). */
function oneValue(previous: NumberValue | undefined, next: NumberValue, key: string): NumberValue {
  if (previous !== undefined) throw new JsonShapeError(key, `sets more than one value (${previous.case} and ${key})`);
  return next;
}

/**
 * metrics.proto `NumberDataPoint`: attributes · startTimeUnixNano · timeUnixNano · oneof value { asDouble · asInt } ·
 * exemplars · flags.
 */
export function numberDataPointFromJson(object: JsonObject): NumberDataPoint {
  const point = newNumberDataPoint();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'attributes':
        point.attributes = keyValuesFromJson(member, key);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = uint64(member, key);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = uint64(member, key);
        break;
      case 'asDouble':
      case 'as_double':
        point.value = oneValue(point.value, { case: 'asDouble', value: double(member, key) }, key);
        break;
      case 'asInt':
      case 'as_int':
        point.value = oneValue(point.value, { case: 'asInt', value: int64(member, key) }, key);
        break;
      case 'exemplars':
        point.exemplars = messages(member, key, exemplarFromJson);
        break;
      case 'flags':
        point.flags = uint32(member, key);
        break;
      default:
    }
  }
  return point;
}

/**
 * metrics.proto `HistogramDataPoint`: attributes · startTimeUnixNano · timeUnixNano · count · sum · bucketCounts ·
 * explicitBounds · exemplars · flags · min · max.
 */
export function histogramDataPointFromJson(object: JsonObject): HistogramDataPoint {
  const point = newHistogramDataPoint();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'attributes':
        point.attributes = keyValuesFromJson(member, key);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = uint64(member, key);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = uint64(member, key);
        break;
      case 'count':
        point.count = uint64(member, key);
        break;
      case 'sum':
        point.sum = double(member, key);
        break;
      case 'bucketCounts':
      case 'bucket_counts':
        point.bucketCounts = list(member, key, uint64);
        break;
      case 'explicitBounds':
      case 'explicit_bounds':
        point.explicitBounds = list(member, key, double);
        break;
      case 'exemplars':
        point.exemplars = messages(member, key, exemplarFromJson);
        break;
      case 'flags':
        point.flags = uint32(member, key);
        break;
      case 'min':
        point.min = double(member, key);
        break;
      case 'max':
        point.max = double(member, key);
        break;
      default:
    }
  }
  return point;
}

/**
 * metrics.proto `ExponentialHistogramDataPoint`: attributes · startTimeUnixNano · timeUnixNano · count · sum · scale ·
 * zeroCount · positive · negative · flags · exemplars · min · max · zeroThreshold.
 */
export function exponentialHistogramDataPointFromJson(object: JsonObject): ExponentialHistogramDataPoint {
  const point = newExponentialHistogramDataPoint();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'attributes':
        point.attributes = keyValuesFromJson(member, key);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = uint64(member, key);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = uint64(member, key);
        break;
      case 'count':
        point.count = uint64(member, key);
        break;
      case 'sum':
        point.sum = double(member, key);
        break;
      case 'scale':
        point.scale = int32(member, key);
        break;
      case 'zeroCount':
      case 'zero_count':
        point.zeroCount = uint64(member, key);
        break;
      case 'positive':
        point.positive = message(member, key, bucketsFromJson);
        break;
      case 'negative':
        point.negative = message(member, key, bucketsFromJson);
        break;
      case 'flags':
        point.flags = uint32(member, key);
        break;
      case 'exemplars':
        point.exemplars = messages(member, key, exemplarFromJson);
        break;
      case 'min':
        point.min = double(member, key);
        break;
      case 'max':
        point.max = double(member, key);
        break;
      case 'zeroThreshold':
      case 'zero_threshold':
        point.zeroThreshold = double(member, key);
        break;
      default:
    }
  }
  return point;
}

/** metrics.proto `ExponentialHistogramDataPoint.Buckets`: offset (sint32) · bucketCounts (uint64). */
function bucketsFromJson(object: JsonObject): Buckets {
  const buckets = newBuckets();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'offset':
        buckets.offset = int32(member, key);
        break;
      case 'bucketCounts':
      case 'bucket_counts':
        buckets.bucketCounts = list(member, key, uint64);
        break;
      default:
    }
  }
  return buckets;
}

/**
 * metrics.proto `SummaryDataPoint`: attributes · startTimeUnixNano · timeUnixNano · count · sum · quantileValues ·
 * flags.
 */
export function summaryDataPointFromJson(object: JsonObject): SummaryDataPoint {
  const point = newSummaryDataPoint();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'attributes':
        point.attributes = keyValuesFromJson(member, key);
        break;
      case 'startTimeUnixNano':
      case 'start_time_unix_nano':
        point.startTimeUnixNano = uint64(member, key);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        point.timeUnixNano = uint64(member, key);
        break;
      case 'count':
        point.count = uint64(member, key);
        break;
      case 'sum':
        point.sum = double(member, key);
        break;
      case 'quantileValues':
      case 'quantile_values':
        point.quantileValues = messages(member, key, valueAtQuantileFromJson);
        break;
      case 'flags':
        point.flags = uint32(member, key);
        break;
      default:
    }
  }
  return point;
}

/** metrics.proto `SummaryDataPoint.ValueAtQuantile`: quantile · value. */
function valueAtQuantileFromJson(object: JsonObject): ValueAtQuantile {
  const quantile = newValueAtQuantile();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'quantile':
        quantile.quantile = double(member, key);
        break;
      case 'value':
        quantile.value = double(member, key);
        break;
      default:
    }
  }
  return quantile;
}

/**
 * metrics.proto `Exemplar`: filteredAttributes · timeUnixNano · oneof value { asDouble · asInt } · spanId (hex) ·
 * traceId (hex).
 */
function exemplarFromJson(object: JsonObject): Exemplar {
  const exemplar = newExemplar();
  for (const key in object) {
    const member = object[key];
    if (member === null || member === undefined) continue;
    switch (key) {
      case 'filteredAttributes':
      case 'filtered_attributes':
        exemplar.filteredAttributes = keyValuesFromJson(member, key);
        break;
      case 'timeUnixNano':
      case 'time_unix_nano':
        exemplar.timeUnixNano = uint64(member, key);
        break;
      case 'asDouble':
      case 'as_double':
        exemplar.value = oneValue(exemplar.value, { case: 'asDouble', value: double(member, key) }, key);
        break;
      case 'asInt':
      case 'as_int':
        exemplar.value = oneValue(exemplar.value, { case: 'asInt', value: int64(member, key) }, key);
        break;
      case 'spanId':
      case 'span_id':
        exemplar.spanId = hexId(member, key);
        break;
      case 'traceId':
      case 'trace_id':
        exemplar.traceId = hexId(member, key);
        break;
      default:
    }
  }
  return exemplar;
}
