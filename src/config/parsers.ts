/** A parsed environment value, or what would have been allowed. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly allowed: string };

export interface VarSpec<T> {
  readonly parse: (raw: string) => Parsed<T>;
  /** Used when the variable is unset or empty. Undefined = optional without default. */
  readonly fallback: T;
  readonly description: string;
  readonly secret: boolean;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (allowed: string): Parsed<never> => ({ ok: false, allowed });

export const integer = (fallback: number, min: number, max: number, description: string): VarSpec<number> => ({
  parse: (raw) => {
    const value = Number(raw);
    return /^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(value) && value >= min && value <= max
      ? ok(value)
      : fail(`an integer from ${min} to ${max}`);
  },
  fallback,
  description,
  secret: false,
});

export const decimal = (fallback: number, min: number, max: number, description: string): VarSpec<number> => ({
  parse: (raw) => {
    const value = Number(raw);
    return raw.trim() !== '' && Number.isFinite(value) && value >= min && value <= max ? ok(value) : fail(`a number from ${min} to ${max}`);
  },
  fallback,
  description,
  secret: false,
});

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], description: string): VarSpec<T[number]> => ({
  parse: (raw) => {
    const found = values.find((v) => v === raw.trim());
    return found === undefined ? fail(`one of ${values.join(', ')}`) : ok(found);
  },
  fallback,
  description,
  secret: false,
});

export const optionalOneOf = <const T extends readonly [string, ...string[]]>(values: T, description: string): VarSpec<T[number] | undefined> => ({
  ...oneOf(values, values[0], description),
  fallback: undefined,
});

export const boolean = (fallback: boolean, description: string): VarSpec<boolean> => ({
  parse: (raw) => {
    const value = raw.trim().toLowerCase();
    if (['true', '1', 'yes'].includes(value)) return ok(true);
    if (['false', '0', 'no'].includes(value)) return ok(false);
    return fail('true or false');
  },
  fallback,
  description,
  secret: false,
});

export const url = (fallback: string, description: string, protocols: readonly string[] = ['http:', 'https:']): VarSpec<string> => ({
  parse: (raw) => {
    try {
      const parsed = new URL(raw.trim());
      return protocols.includes(parsed.protocol) ? ok(raw.trim()) : fail(`a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    } catch {
      return fail(`a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    }
  },
  fallback,
  description,
  secret: false,
});

export const optionalUrl = (description: string, protocols: readonly string[]): VarSpec<string | undefined> => ({
  ...url('', description, protocols),
  fallback: undefined,
});

export const text = (fallback: string, description: string): VarSpec<string> => ({
  parse: (raw) => ok(raw),
  fallback,
  description,
  secret: false,
});

export const optionalText = (description: string): VarSpec<string | undefined> => ({
  parse: (raw) => ok(raw),
  fallback: undefined,
  description,
  secret: false,
});

/** Marks a variable whose value must never be printed. */
export const secret = <T>(spec: VarSpec<T>): VarSpec<T> => ({ ...spec, secret: true });
