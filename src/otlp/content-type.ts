import { OtlpError } from './errors.ts';

/** The two OTLP/HTTP encodings (specification.md, "Binary Protobuf Encoding" / "JSON Protobuf Encoding"). */
export const otlpEncodings = ['protobuf', 'json'] as const;
export type OtlpEncoding = (typeof otlpEncodings)[number];

/** "The server MUST use the same Content-Type in the response as it received in the request." */
export const contentTypeOf = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
} as const satisfies Record<OtlpEncoding, string>;

/**
 * The encoding named by a request's Content-Type. Only the media type counts, case-insensitively, so parameters
 * such as `; charset=utf-8` are fine (RFC 9110 §8.3.1; the Collector's issue #7452 was a 415 for exactly that).
 * Anything else is an OtlpError UNSUPPORTED_MEDIA_TYPE (415).
 */
export function parseOtlpContentType(header: string | undefined): OtlpEncoding {
  const encoding = otlpEncodingOf(header);
  if (encoding !== undefined) return encoding;
  throw new OtlpError(
    'UNSUPPORTED_MEDIA_TYPE',
    `unsupported content type ${header === undefined || header === '' ? '(none)' : JSON.stringify(header)}: OTLP/HTTP accepts application/x-protobuf or application/json`,
  );
}

/** The encoding named by a Content-Type (media type only, case-insensitive), or undefined: parseOtlpContentType without the error. */
export function otlpEncodingOf(header: string | undefined): OtlpEncoding | undefined {
  const mediaType = (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (mediaType === contentTypeOf.protobuf) return 'protobuf';
  if (mediaType === contentTypeOf.json) return 'json';
  return undefined;
}
