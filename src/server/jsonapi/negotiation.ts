import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../jsonapi/errors.ts';
import { jsonApiMediaType, onlyJsonApiParameters, parseMediaType, splitAccept, unsupportedExtensions } from './media-type.ts';

/**
 * JSON:API content negotiation (1.1 "Content Negotiation"). Request bodies: application/vnd.api+json with only
 * ext/profile parameters, or plain application/json (accepted for convenience; answered as JSON:API);
 * anything else is 415. Accept: when every JSON:API entry carries other parameters, or asks for an extension we
 * do not support, 406. Accept headers without a JSON:API entry (`*\/*`, `application/json`) are served.
 */
export async function negotiate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const accept = request.headers.accept;
  // The common headers need no parsing.
  if (accept !== undefined && accept !== jsonApiMediaType && accept !== '*/*') {
    const entries = splitAccept(accept).map(parseMediaType).filter((t) => t.essence === jsonApiMediaType);
    const usable = entries.filter((t) => onlyJsonApiParameters(t, ['q']) && unsupportedExtensions(t).length === 0);
    if (entries.length > 0 && usable.length === 0) {
      throw new ApiError('NOT_ACCEPTABLE', {
        detail: `${jsonApiMediaType} is only served with the ext and profile parameters (supported extensions: atomic)`,
        source: { header: 'Accept' },
      });
    }
  }
  const hasBody = request.headers['content-length'] !== undefined ? request.headers['content-length'] !== '0' : request.headers['transfer-encoding'] !== undefined;
  const contentType = request.headers['content-type'];
  if (!hasBody || contentType === undefined) return;
  const type = parseMediaType(contentType);
  if (type.essence === 'application/json') return;
  if (type.essence !== jsonApiMediaType) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', { detail: `Send ${jsonApiMediaType} (or application/json), not ${type.essence}`, source: { header: 'Content-Type' } });
  }
  if (!onlyJsonApiParameters(type)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', {
      detail: `${jsonApiMediaType} takes only the ext and profile parameters`,
      source: { header: 'Content-Type' },
    });
  }
  const unsupported = unsupportedExtensions(type);
  if (unsupported.length > 0) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', { detail: `Unsupported extension ${unsupported.join(', ')}`, source: { header: 'Content-Type' } });
  }
}
