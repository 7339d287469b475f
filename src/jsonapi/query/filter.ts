import type { JsonValue } from '../../../resources/define.ts';
import type { AttributeModel, RelationshipModel, ResourceModel } from '../../../resources/model/index.ts';
import { shownAttributes } from '../../../resources/model/index.ts';
import type { Registry } from '../../runtime/registry.ts';
import { ApiError } from '../errors.ts';
import { filterOperators, filterValue, operatorAliases, supports, type FilterOperator } from './filter-values.ts';
import { commaList, isRecord, parameterName } from './raw.ts';
import type { Hidden } from './parse-query.ts';

/** A parsed filter: what the SQL compiler turns into a WHERE predicate. */
export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly nodes: readonly FilterNode[] }
  | { readonly kind: 'not'; readonly node: FilterNode }
  | { readonly kind: 'compare'; readonly attribute: AttributeModel; readonly operator: FilterOperator; readonly values: readonly JsonValue[] }
  /** Records that have a related record matching `node` (to-one and to-many alike: EXISTS). */
  | { readonly kind: 'related'; readonly relationship: RelationshipModel; readonly destination: ResourceModel; readonly node: FilterNode };

const isOperator = (name: string): name is FilterOperator => (filterOperators as readonly string[]).includes(name);

/** Attributes a filter may name: public ones, foreign keys included (`filter[claimed_by]=<uuid>`). */
const filterable = (resource: ResourceModel, hidden: ReadonlySet<string>): AttributeModel[] => {
  const shown = new Set(shownAttributes(resource).map((a) => a.name));
  return resource.attributes.filter(
    (a) => a.spec.public && !hidden.has(a.name) && (shown.has(a.name) || a.spec.primaryKey || resource.relationships.some((r) => r.sourceAttribute === a.name)),
  );
};

class FilterParser {
  readonly errors: ApiError[] = [];
  private readonly registry: Registry;
  private readonly hidden: Hidden;

  constructor(registry: Registry, hidden: Hidden) {
    this.registry = registry;
    this.hidden = hidden;
  }

  private fail(path: readonly string[], detail: string): undefined {
    this.errors.push(new ApiError('INVALID_FILTER', { detail, source: { parameter: parameterName(path) } }));
    return undefined;
  }

  /** A filter object: each key is an attribute, a relationship, or and/or/not; all keys AND together. */
  object(resource: ResourceModel, raw: unknown, path: readonly string[]): FilterNode | undefined {
    if (!isRecord(raw)) return this.fail(path, `${parameterName(path)} must be an object: filter[attribute]=value`);
    const nodes: FilterNode[] = [];
    for (const [key, value] of Object.entries(raw)) {
      const node = this.member(resource, key, value, [...path, key]);
      if (node !== undefined) nodes.push(node);
    }
    if (nodes.length === 1 && nodes[0] !== undefined) return nodes[0];
    return { kind: 'and', nodes };
  }

  private member(resource: ResourceModel, key: string, value: unknown, path: readonly string[]): FilterNode | undefined {
    if (key === 'and' || key === 'or') {
      const items = Array.isArray(value) ? value : isRecord(value) ? Object.values(value) : undefined;
      if (items === undefined) return this.fail(path, `${key} takes a list: filter[${key}][0][...]=...`);
      const nodes = items.flatMap((item, i) => {
        const node = this.object(resource, item, [...path, String(i)]);
        return node === undefined ? [] : [node];
      });
      return { kind: key, nodes };
    }
    if (key === 'not') {
      const node = this.object(resource, value, path);
      return node === undefined ? undefined : { kind: 'not', node };
    }
    const attribute = filterable(resource, this.hidden(resource)).find((a) => a.name === key);
    if (attribute !== undefined) return this.comparison(attribute, value, path);
    const relationship = resource.relationships.find((r) => r.name === key);
    if (relationship !== undefined) {
      const destination = this.registry.resource(relationship.destination);
      const node = this.object(destination, value, path);
      return node === undefined ? undefined : { kind: 'related', relationship, destination, node };
    }
    return this.fail(path, `${resource.jsonApi?.type ?? resource.name} has no filterable attribute or relationship ${key}`);
  }

  /** `filter[a]=v` (eq; a comma list means in) or `filter[a][op]=v`, several operators AND together. */
  private comparison(attribute: AttributeModel, value: unknown, path: readonly string[]): FilterNode | undefined {
    if (typeof value === 'string') {
      const items = commaList(value);
      const operator: FilterOperator = attribute.spec.kind === 'array' ? 'contains' : items.length > 1 ? 'in' : 'eq';
      return this.compare(attribute, operator, value, path);
    }
    if (!isRecord(value)) return this.fail(path, `${parameterName(path)} must be a value or an operator: ${parameterName([...path, 'eq'])}=...`);
    const nodes: FilterNode[] = [];
    for (const [name, operand] of Object.entries(value)) {
      const operator = isOperator(name) ? name : operatorAliases[name];
      if (operator === undefined) {
        this.fail([...path, name], `unknown operator ${name}; use one of ${filterOperators.join(', ')}`);
        continue;
      }
      const node = this.compare(attribute, operator, operand, [...path, name]);
      if (node !== undefined) nodes.push(node);
    }
    return nodes.length === 1 ? nodes[0] : { kind: 'and', nodes };
  }

  private compare(attribute: AttributeModel, operator: FilterOperator, operand: unknown, path: readonly string[]): FilterNode | undefined {
    if (!supports(attribute.spec, operator)) return this.fail(path, `${operator} does not apply to ${attribute.name} (a ${attribute.spec.kind})`);
    const texts = Array.isArray(operand) ? operand : isRecord(operand) ? Object.values(operand) : typeof operand === 'string' ? [operand] : undefined;
    if (texts === undefined || texts.some((t) => typeof t !== 'string')) return this.fail(path, `${parameterName(path)} must be a value`);
    const strings = (texts as string[]).flatMap((t) => (operator === 'in' || operator === 'not_in' || operator === 'contains' ? commaList(t) : [t]));
    if (operator === 'is_nil') {
      if (strings.length !== 1 || (strings[0] !== 'true' && strings[0] !== 'false')) return this.fail(path, 'is_nil takes true or false');
      return { kind: 'compare', attribute, operator, values: [strings[0] === 'true'] };
    }
    if (strings.length === 0) return this.fail(path, `${parameterName(path)} needs a value`);
    if (strings.length > 1 && !(operator === 'in' || operator === 'not_in' || operator === 'contains')) {
      return this.fail(path, `${operator} takes one value`);
    }
    const values: JsonValue[] = [];
    for (const text of strings) {
      const parsed = operator === 'contains' || operator === 'starts_with' ? containsValue(attribute, text) : filterValue(attribute.spec, text);
      if (!parsed.ok) return this.fail(path, `${attribute.name}: ${parsed.problem}`);
      values.push(parsed.value);
    }
    return { kind: 'compare', attribute, operator, values };
  }
}

/** Substring search takes any text on strings; on arrays the items must fit the item type. */
function containsValue(attribute: AttributeModel, text: string): { ok: true; value: JsonValue } | { ok: false; problem: string } {
  if (attribute.spec.kind === 'array') return filterValue(attribute.spec, text);
  return { ok: true, value: text };
}

/** Parses `filter[...]` against the resource: public attributes, relationship paths, operators and typed values. */
export function parseFilter(raw: unknown, resource: ResourceModel, registry: Registry, hidden: Hidden): { node: FilterNode | undefined; errors: ApiError[] } {
  if (raw === undefined) return { node: undefined, errors: [] };
  const parser = new FilterParser(registry, hidden);
  const node = parser.object(resource, raw, ['filter']);
  return { node: parser.errors.length === 0 ? node : undefined, errors: parser.errors };
}
