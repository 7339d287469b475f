import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../codegen/emit/openapi.ts';
import { resourceSchemas } from '../../codegen/emit/json-schema.ts';
import { loadModel } from '../../resources/model/index.ts';
import { resourceSchemas as committed } from '../../openapi/schemas.ts';
import { asRecord, document, projectRoot, runCodegen } from './support.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');

describe('one source of schemas: what Ajv compiles is what the document embeds', () => {
  it('every resource object and request body in components is the generated schema Ajv compiles, unchanged', () => {
    const schemas = asRecord(asRecord(document['components'])['schemas']);
    const pascal = (name: string) => name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    let compared = 0;
    for (const [name, generated] of Object.entries(committed)) {
      expect(schemas[pascal(generated.type)]).toEqual(generated.resource);
      for (const [action, body] of Object.entries(generated.actions)) {
        expect(schemas[`${pascal(generated.type)}${pascal(action)}Request`], `${name}.${action}`).toEqual(body);
        // The flat input (coordination bodies) is the request document's attributes, less what may come as linkage.
        const input = asRecord(schemas[`${pascal(generated.type)}${pascal(action)}Input`]);
        const attributes = asRecord(asRecord(asRecord(asRecord(body)['properties'])['data'])['properties'])['attributes'];
        expect(asRecord(attributes)['properties']).toEqual(input['properties']);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});

describe('typed map attributes (attr.map({ shape }))', () => {
  it('work_item.payload takes its schema from the WorkPayload type of the resource file', () => {
    const payload = asRecord(asRecord(asRecord(asRecord(committed.work_item.resource)['properties'])['attributes'])['properties'])['payload'];
    expect(payload).toMatchObject({ type: ['object', 'null'], properties: { velocity_points: { type: 'integer', minimum: 0 } }, additionalProperties: {} });
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    const validate = ajv.compile(asRecord(payload));
    expect(validate({ velocity_points: 3, anything: ['else'] })).toBe(true);
    expect(validate({ velocity_points: 2.5 })).toBe(false);
    expect(validate({ velocity_points: -1 })).toBe(false);
  });

  it('a closed shape is closed; an untyped map stays any JSON object', async () => {
    const model = await loadModel(path.join(fixtures, 'typed-shape'));
    const gizmo = resourceSchemas(model)['gizmo'];
    const attributes = asRecord(asRecord(asRecord(gizmo?.resource)['properties'])['attributes'])['properties'];
    expect(asRecord(attributes)['settings']).toEqual({
      type: 'object',
      properties: { level: { type: 'integer' }, mode: { type: 'string', enum: ['fast', 'slow'] } },
      required: ['level'],
      additionalProperties: false,
      description: 'How a gizmo is tuned.',
    });
    expect(asRecord(attributes)['notes']).toEqual({ type: ['object', 'null'], additionalProperties: true });
    // And the OpenAPI document of that model embeds the same object.
    const components = asRecord(asRecord(openApiDocument(model)['components'])['schemas']);
    expect(components['Gizmo']).toEqual(gizmo?.resource);
  });

  it('a shape naming a type the resource file does not export stops codegen with the file and the member', async () => {
    const result = await runCodegen('--resources', path.relative(projectRoot, path.join(fixtures, 'unknown-shape')), '--out', 'test/.generated/unknown-shape');
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      "test/openapi/fixtures/unknown-shape/gadget.resource.ts: gadget.attributes.settings.shape names a TypeScript type that the resource file does not export (UNKNOWN_TYPE): 'GadgetSettings' is not a type exported by test/openapi/fixtures/unknown-shape/gadget.resource.ts",
    );
  });
});
