// exports added here are public
// Route contracts that codegen documents and src may read. Data only; imports nothing outside resources/.
export { coordinationContracts } from './coordination.ts';
export { otlpContracts, protobufMediaType } from './otlp.ts';
export { contractTags, serviceContracts } from './service.ts';
export { errorCatalog, errorCodes } from './error-catalog.ts';
export type { ErrorCode } from './error-catalog.ts';
export { filterOperators, listOperators, operatorAliases, operatorsFor, pageParameters, sortable } from './json-api-query.ts';
export type { FilterOperator } from './json-api-query.ts';
export { derivedKey, isDerived } from './contract.ts';
export type { DerivedSchema, ErrorFormat, HttpMethod, JsonSchema, ParameterContract, ResponseContract, RouteContract, Security, TagContract } from './contract.ts';

import { coordinationContracts } from './coordination.ts';
import { otlpContracts } from './otlp.ts';
import { serviceContracts } from './service.ts';

/** Every non-resource route of the server, in document order. */
export const routeContracts = [...coordinationContracts, ...otlpContracts, ...serviceContracts] as const;
