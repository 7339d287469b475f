import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/jsonapi/errors.ts';
import { asRecord, document } from './support.ts';

/** Every `code` enum of an error response (JSON:API `code`, coordination `error` in lower case). */
function documentedCodes(): Set<string> {
  const codes = new Set<string>();
  const visit = (node: unknown, inError: boolean): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child, inError);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (inError && (key === 'code' || key === 'error') && typeof child === 'object' && child !== null && 'enum' in child) {
        for (const code of (child as { enum: string[] }).enum) codes.add(code.toUpperCase());
      }
      visit(child, inError || /^[45][0-9]{2}$/.test(key) || key === 'responses');
    }
  };
  const components = asRecord(document['components']);
  visit(document['paths'], false);
  visit(components['responses'], true);
  return codes;
}

describe('the error catalog and the document (Fastify Errors.md style)', () => {
  it('every catalog code appears in the document\'s error responses, and the document names no other code', () => {
    const documented = documentedCodes();
    expect([...documented].sort()).toEqual(Object.keys(errorCatalog).sort());
  });

  it('the ErrorCode schema is the catalog, and each code is documented under its own status', () => {
    const schemas = asRecord(asRecord(document['components'])['schemas']);
    expect(asRecord(schemas['ErrorCode'])['enum']).toEqual(Object.keys(errorCatalog));
    const perStatus = new Map<string, Set<string>>();
    const collect = (responses: Record<string, unknown>) => {
      for (const [status, response] of Object.entries(responses)) {
        const text = JSON.stringify(response);
        for (const code of Object.keys(errorCatalog)) if (text.includes(`"${code}"`)) perStatus.set(code, (perStatus.get(code) ?? new Set()).add(status));
      }
    };
    const responses = asRecord(asRecord(document['components'])['responses']);
    for (const [name, response] of Object.entries(responses)) collect({ [name.replace(/^\D+(\d{3}).*$/, '$1')]: response });
    for (const [code, { status }] of Object.entries(errorCatalog)) {
      if (code === 'ROUTE_NOT_FOUND' || code === 'METHOD_NOT_ALLOWED') continue;
      expect([...(perStatus.get(code) ?? [])], code).toContain(String(status));
    }
  });
});
