/** Names in resource files: snake_case, as the seed spells them, so they map 1:1 to columns and JSON members. */
export const snakeCase = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** PostgreSQL truncates identifiers longer than this. */
export const maxIdentifierLength = 63;

export const isSnakeCase = (name: string): boolean => snakeCase.test(name) && name.length <= maxIdentifierLength;

export const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export const pascalCase = (name: string): string => {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
};

/** Ash's naming: `<table>_<identity>_index`, `<table>_<cols>_index`, `<table>_<attr>_fkey`. */
export const identityIndexName = (table: string, identity: string): string => `${table}_${identity}_index`;
export const indexName = (table: string, columns: readonly string[]): string => `${table}_${columns.join('_')}_index`;
export const foreignKeyName = (table: string, attribute: string): string => `${table}_${attribute}_fkey`;
export const checkName = (table: string, attribute: string): string => `${table}_${attribute}_check`;
/** The sequence behind `defaults.timeId()`, shared by every table. */
export const timeIdSequence = 'time_id_seq';
