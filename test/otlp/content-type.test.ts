// Content-Type → encoding (specification.md "Binary Protobuf Encoding" / "JSON Protobuf Encoding"); anything else is
// a 415 as the Collector answers.
import { describe, expect, it } from 'vitest';
import { OtlpError, parseOtlpContentType } from '../../src/otlp/index.ts';

describe('parseOtlpContentType', () => {
  it.each([
    ['application/x-protobuf', 'protobuf'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['Application/JSON;charset=UTF-8', 'json'],
    ['  application/x-protobuf ; foo=bar', 'protobuf'],
  ] as const)('%s → %s', (header, encoding) => {
    expect(parseOtlpContentType(header)).toBe(encoding);
  });

  it.each([
    undefined,
    '',
    'text/plain',
    'application/protobuf',
    'application/grpc',
    'application/x-protobuf-json',
    'multipart/form-data; boundary=x',
  ])('%s is unsupported (415)', (header) => {
    let thrown: unknown;
    try {
      parseOtlpContentType(header);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OtlpError);
    expect(thrown).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415 });
    expect((thrown as OtlpError).message).toContain('OTLP/HTTP accepts application/x-protobuf or application/json');
  });
});
