import { closedObject, type RouteContract, type TagContract } from './contract.ts';

/** The service's own routes: health, Prometheus metrics, and this document with its viewer. */
export const serviceContracts: readonly RouteContract[] = [
  {
    method: 'GET',
    path: '/api/health',
    operationId: 'getHealth',
    tag: 'service',
    summary: 'Service health',
    security: 'none',
    responses: Object.fromEntries(
      (['200', '503'] as const).map((status) => [
        status,
        {
          description: status === '200' ? 'Every service answers.' : 'PostgreSQL did not answer within 2 s.',
          content: {
            'application/json': closedObject({
              status: { const: status === '200' ? 'ok' : 'error' },
              services: closedObject({ database: { const: status === '200' ? 'ok' : 'error' } }),
              version: { type: 'string' },
              uptime_s: { type: 'integer', minimum: 0 },
            }),
          },
        },
      ]),
    ),
  },
  {
    method: 'GET',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'service',
    summary: 'Prometheus metrics',
    description: 'The Prometheus text exposition format. Scraped with the admin token or one of METRICS_TOKENS.',
    security: 'bearer',
    responses: {
      '200': { description: 'Metrics of this process, and gauges read from PostgreSQL.', content: { 'text/plain; version=0.0.4; charset=utf-8': { type: 'string' } } },
    },
    errors: { format: 'jsonapi', codes: ['UNAUTHORIZED', 'FORBIDDEN', 'TOO_MANY_REQUESTS', 'INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'] },
  },
  {
    method: 'GET',
    path: '/open_api',
    operationId: 'getOpenApiDocument',
    tag: 'service',
    summary: 'This OpenAPI document',
    description: 'The committed openapi/openapi.json, generated from the resource files and the route contracts. Public.',
    security: 'none',
    responses: { '200': { description: 'The OpenAPI 3.1 document.', content: { 'application/json': { type: 'object', required: ['openapi', 'info', 'paths'] } } } },
  },
  {
    method: 'GET',
    path: '/docs',
    operationId: 'getApiReference',
    tag: 'service',
    summary: 'Human-readable API reference',
    description: 'Swagger UI over this document (its assets are served by the server itself). Public.',
    security: 'none',
    responses: { '200': { description: 'An HTML page.', content: { 'text/html': { type: 'string' } } } },
  },
];

/** Tags of the routes declared here; resource routes are tagged by their resource's domain. */
export const contractTags: readonly TagContract[] = [
  { name: 'service', description: 'Health, metrics and this document.' },
];
