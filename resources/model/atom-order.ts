/**
 * An atom's declared order as SQL: `array_position(<this>, column)` ranks a value. One text for the engine's ORDER BY
 * and the generated index, so PostgreSQL sees the same expression in both and can serve the sort from the index.
 * @example atomOrderSql(['low', 'high']) // ARRAY['low', 'high']::text[]
 */
export const atomOrderSql = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::text[]`;
