import { describe, expect, it } from 'vitest';
import * as schema from '../../drizzle/schema.ts';
import { loadModel } from '../../resources/model/index.ts';
import { createRegistry, StaleSchemaError } from '../../src/runtime/registry.ts';
import { defaultLocations } from '../../src/runtime/load-runtime.ts';

describe('binding resources to the generated schema at start', () => {
  it('binds every resource to its table and every attribute to its column', async () => {
    const registry = createRegistry(await loadModel(defaultLocations.resourcesDir), schema);
    const workItem = registry.resource('work_item');
    expect(registry.table(workItem)).toBe(schema.workItems);
    expect(registry.column(workItem, 'claimed_by')).toBe(schema.workItems.claimed_by);
  });

  it('refuses to start when resources/ changed since the last codegen', async () => {
    const model = await loadModel(defaultLocations.resourcesDir);
    expect(() => createRegistry(model, { ...schema, storageFingerprint: '0000000000000000' })).toThrow(StaleSchemaError);
    expect(() => createRegistry(model, { ...schema, storageFingerprint: 'stale' })).toThrow(/Run `npm run codegen`, then restart/);
  });

  it('refuses a schema that lacks a resource table', async () => {
    const model = await loadModel(defaultLocations.resourcesDir);
    const { agent: _dropped, ...tables } = schema.tables;
    expect(() => createRegistry(model, { storageFingerprint: schema.storageFingerprint, tables })).toThrow(/no table for resource agent/);
  });
});
