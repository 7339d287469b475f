// exports added here are public
// The resource DSL. Resource files import only from this module; it imports nothing else from this repository.
export { attr, defaults, timestamps, attributeKinds } from './dsl/attributes.ts';
export type {
  AnyAttribute,
  AttributeKind,
  AttributeMap,
  AttributeSpec,
  ArraySpec,
  AtomSpec,
  DefaultSpec,
  InferAttributeValue,
  ReadAsSpec,
  MapOptions,
  MapSpec,
  FloatSpec,
  IntegerSpec,
  LengthConstraints,
  RangeConstraints,
  ScalarKind,
  ScalarSpec,
  StringSpec,
  TextSpec,
} from './dsl/attributes.ts';
export { rel, onDeleteActions } from './dsl/relationships.ts';
export type { BelongsToSpec, HasManySpec, OnDelete, RelationshipKind, RelationshipSpec } from './dsl/relationships.ts';
export {
  actionTypes,
  attributeDoesNotEqual,
  attributeEquals,
  attributeIn,
  countBelow,
  create,
  destroy,
  generateToken,
  read,
  setAttribute,
  update,
} from './dsl/actions.ts';
export type { ActionSpec, ActionType, ChangeKind, ChangeSpec, NotifySpec, TargetSpec, ValidationKind, ValidationSpec } from './dsl/actions.ts';
export { and, comparisonOperators, eq, gt, gte, isIn, isNil, lt, lte, not, notEq, or } from './dsl/expressions.ts';
export type { ComparisonOperator, Expr, ExprOp } from './dsl/expressions.ts';
export { actor, ago, arg, atomicRef, context, literal, now, ref } from './dsl/values.ts';
export type { JsonValue, ValueKind, ValueSpec } from './dsl/values.ts';
export {
  action,
  actionType,
  actorAbsent,
  actorAttributeEquals,
  actorPresent,
  always,
  authorizeIf,
  authorizeUnless,
  bypass,
  clauseKinds,
  contextEquals,
  expr,
  fieldPolicy,
  forbidIf,
  forbidUnless,
  never,
  policy,
  relatesToActorVia,
  simpleCheckKinds,
} from './dsl/policies.ts';
export type { CheckKind, CheckSpec, ClauseKind, ClauseSpec, FieldPolicySpec, PolicySpec } from './dsl/policies.ts';
export { route, routeKinds } from './dsl/json-api.ts';
export type { JsonApiSpec, RouteKind, RouteSpec } from './dsl/json-api.ts';
export { defineResource, isResourceDefinition } from './dsl/resource.ts';
export type { ColumnIndexSpec, IndexSpec, InferRecord, ResourceDefinition, ResourceSpec, TargetIndexSpec } from './dsl/resource.ts';
