import { Buffer } from 'node:buffer';
import { undecodable } from '../errors.ts';
import { isJsonObject, JsonShapeError, type JsonObject } from './values.ts';

/**
 * Decodes a whole OTLP/JSON body with `read`: invalid UTF-8 becomes U+FFFD, a leading BOM is ignored
 * (RFC 8259 §8.1 allows that), a syntax error or a value of the wrong shape is a 400 OtlpError whose message names
 * the message type and the path of the bad member (e.g. `resourceSpans[0].scopeSpans[0].spans[2].traceId`).
 */
export function decodeJson<T>(body: Uint8Array, messageName: string, read: (message: JsonObject) => T): T {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw undecodable(
      `invalid JSON in ${messageName} body: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  if (!isJsonObject(parsed)) throw undecodable(`invalid OTLP/JSON ${messageName}: the body must be a JSON object`);
  try {
    return read(parsed);
  } catch (error) {
    if (error instanceof JsonShapeError) {
      throw undecodable(`invalid OTLP/JSON ${messageName}: ${error.pathText()}: ${error.problem}`, error);
    }
    throw error;
  }
}
