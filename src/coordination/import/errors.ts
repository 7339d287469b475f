/** The import cannot run (an unreadable or invalid file) or was rolled back (the database refused a row). Nothing was written. */
export class CoordinationImportError extends Error {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'CoordinationImportError';
  }
}
