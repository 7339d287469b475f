// exports added here are public
export { buildModel } from './build-model.ts';
export type { LoadedResource } from './build-model.ts';
export { jsonApiPrefix, pageSizes } from './build-json-api.ts';
export { foreignKeyAttributes, jsonApiType, shownAttributes, viewedAttributeNames } from './json-api-view.ts';
export { DefinitionError, definitionErrorCatalog, formatIssue } from './errors.ts';
export type { DefinitionErrorCode, DefinitionIssue } from './errors.ts';
export { modelFingerprint, storageFingerprint } from './fingerprint.ts';
export { loadModel, loadResourceFiles, resourceFilePattern } from './load.ts';
export { byKind } from './per-kind.ts';
export { atomOrderSql } from './atom-order.ts';
export { valueProblem } from './check-values.ts';
export type { KindTable, SpecOf } from './per-kind.ts';
export { camelCase, checkName, foreignKeyName, pascalCase, timeIdSequence } from './names.ts';
export type * from './types.ts';
