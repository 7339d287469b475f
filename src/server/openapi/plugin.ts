import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import swagger, { type StaticDocumentSpec } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { serviceContracts } from '../../../resources/contracts/index.ts';

/** The committed document `npm run codegen` writes. */
export const openApiDocumentFile = fileURLToPath(new URL('../../../openapi/openapi.json', import.meta.url));

const pathOf = (operationId: string): string => {
  const contract = serviceContracts.find((c) => c.operationId === operationId);
  if (contract === undefined) throw new Error(`resources/contracts/service.ts has no ${operationId}`);
  return contract.path;
};

export interface OpenApiRoutesOptions {
  /** The document to serve; the committed openapi/openapi.json when omitted. */
  readonly document?: StaticDocumentSpec['document'];
}

/**
 * GET /open_api: the committed OpenAPI 3.1 document, served by @fastify/swagger in static mode (the document is
 * generated from the resource files, never from the registered routes). GET /docs: Swagger UI over it, with its
 * assets served by this server (no CDN), and no external validator. Both are public: integrators read them before
 * they have a token, and they say nothing the routes themselves do not.
 *
 * @example
 * await app.register(openApiRoutes);
 */
export async function openApiRoutes(app: FastifyInstance, options: OpenApiRoutesOptions = {}): Promise<void> {
  const document: StaticDocumentSpec['document'] = options.document ?? JSON.parse(await readFile(openApiDocumentFile, 'utf8'));
  await app.register(swagger, { mode: 'static', specification: { document } });
  const docs = pathOf('getApiReference');
  await app.register(swaggerUi, {
    routePrefix: docs,
    uiConfig: { docExpansion: 'list', deepLinking: true, defaultModelsExpandDepth: 0, tryItOutEnabled: false },
    validatorUrl: false,
  });
  app.get(pathOf('getOpenApiDocument'), async (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));
}
