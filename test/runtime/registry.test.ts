import { describe, expect, it } from 'vitest';
import * as schema from '../../drizzle/schema.ts';
import * as jsonSchemas from '../../openapi/schemas.ts';
import { loadModel } from '../../resources/model/index.ts';
import { createRegistry, StaleSchemaError } from '../../src/runtime/registry.ts';
import { defaultLocations } from '../../src/runtime/load-runtime.ts';

describe('binding resources to the generated schema at start', () => {
  it('binds every resource to its table and every attribute to its column', async () => {
    const registry = createRegistry(await loadModel(defaultLocations.resourcesDir), schema, jsonSchemas);
    const workItem = registry.resource('work_item');
    expect(registry.table(workItem)).toBe(schema.workItems);
    expect(registry.column(workItem, 'claimed_by')).toBe(schema.workItems.claimed_by);
  });

  it('refuses to start when resources/ changed since the last codegen', async () => {
    const model = await loadModel(defaultLocations.resourcesDir);
    expect(() => createRegistry(model, { ...schema, storageFingerprint: '0000000000000000' }, jsonSchemas)).toThrow(StaleSchemaError);
    expect(() => createRegistry(model, { ...schema, storageFingerprint: 'stale' }, jsonSchemas)).toThrow(/Run `npm run codegen`, then restart/);
  });

  it('refuses JSON Schemas generated from other resources', async () => {
    const model = await loadModel(defaultLocations.resourcesDir);
    expect(() => createRegistry(model, schema, { ...jsonSchemas, modelFingerprint: 'stale' })).toThrow(/openapi\/schemas\.ts fingerprint stale/);
  });

  it('refuses a schema that lacks a resource table', async () => {
    const model = await loadModel(defaultLocations.resourcesDir);
    const { agent: _dropped, ...tables } = schema.tables;
    expect(() => createRegistry(model, { storageFingerprint: schema.storageFingerprint, tables }, jsonSchemas)).toThrow(/no table for resource agent/);
  });
});
