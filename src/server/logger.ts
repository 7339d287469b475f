import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { Config } from '../config/config.ts';

/** Anything that could carry a credential is censored before a log line is written. */
export const redactedLogPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-n8n-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.connectionString',
];

/** The request as logged: headers included (user agent, content type, trace headers), credentials censored. */
const requestSerializer = (request: FastifyRequest) => ({
  method: request.method,
  url: request.url,
  headers: request.headers,
  remoteAddress: request.ip,
});

/** pino options for Fastify: structured JSON lines with the request id on every line of a request. */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: redactedLogPaths, censor: '<redacted>' },
    serializers: { req: requestSerializer },
  };
}
