import type { Registry } from '../runtime/registry.ts';

/**
 * Coordination (its routes, lease sweeper and metrics) is built on the seed's agent, work_item and telemetry_event
 * resources; a model without them (a fixture set, a trimmed deployment) simply runs without it.
 */
export const coordinationEnabled = (registry: Registry): boolean => {
  const names = new Set(registry.model.resources.map((r) => r.name));
  return ['agent', 'work_item', 'telemetry_event'].every((name) => names.has(name));
};
