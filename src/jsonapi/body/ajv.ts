import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** One Ajv per server: draft 2020-12 (OpenAPI 3.1's dialect), every error reported, formats checked. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, coerceTypes: false });
  addFormats.default(ajv, ['uuid', 'date-time']);
  return ajv;
}

export type { Ajv2020 };
