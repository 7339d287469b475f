/** A parsed media type: essence (lower-case) and parameters (names lower-case). */
export interface MediaType {
  readonly essence: string;
  readonly parameters: ReadonlyMap<string, string>;
}

export const jsonApiMediaType = 'application/vnd.api+json';
export const atomicExtension = 'https://jsonapi.org/ext/atomic';

/** `application/vnd.api+json; ext="a b"; q=0.8` -> essence and parameters (quotes removed). */
export function parseMediaType(text: string): MediaType {
  const [essence = '', ...rest] = text.split(';');
  const parameters = new Map<string, string>();
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim().toLowerCase();
    const value = part.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
    parameters.set(name, value);
  }
  return { essence: essence.trim().toLowerCase(), parameters };
}

/** The comma-separated media ranges of an Accept header. Commas inside quoted parameters (ext lists) are kept. */
export function splitAccept(header: string): string[] {
  return header.match(/(?:[^,"]|"[^"]*")+/g)?.map((s) => s.trim()).filter(Boolean) ?? [];
}

/** JSON:API: only `ext` and `profile` may parameterize its media type (`q` is Accept's weight, not a parameter of it). */
export const onlyJsonApiParameters = (type: MediaType, ignore: readonly string[] = []): boolean =>
  [...type.parameters.keys()].every((name) => name === 'ext' || name === 'profile' || ignore.includes(name));

/** Extensions named in an `ext` parameter that this server does not support. */
export const unsupportedExtensions = (type: MediaType): string[] =>
  (type.parameters.get('ext') ?? '').split(' ').filter((uri) => uri !== '' && uri !== atomicExtension);
