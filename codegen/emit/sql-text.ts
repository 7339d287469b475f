/** SQL text fragments for generated DDL. Identifiers and literals are always quoted here, never concatenated raw. */
export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * `<prefix><19 digits>`: epoch microseconds x 1000 plus a shared sequence modulo 1000. Two ids can only collide if
 * 1,000 inserts happen within one microsecond, whatever the number of server processes; the unique index backs it.
 */
export const timeIdDefaultSql = (prefix: string, sequence: string): string =>
  `${quoteLiteral(prefix)} || (floor(extract(epoch from clock_timestamp()) * 1000000)::bigint * 1000 + nextval(${quoteLiteral(sequence)}) % 1000)::text`;
