/** The query string as qs parses it: strings, arrays and nested objects (`filter[a][b]=c`). */
export type RawQuery = { readonly [key: string]: unknown };

export const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `a,b` -> ['a', 'b'], trimmed, empty items dropped. */
export const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The bracketed form of a nested parameter path, for `source.parameter`: ['filter','agent','eq'] -> filter[agent][eq]. */
export const parameterName = (path: readonly string[]): string => {
  const [head = '', ...rest] = path;
  return head + rest.map((segment) => `[${segment}]`).join('');
};
