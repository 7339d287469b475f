/** Definition problems found when resources load (codegen and server start). Fastify-style coded errors. */
export const definitionErrorCatalog = {
  INVALID_NAME: 'is not a valid name',
  DUPLICATE_NAME: 'is declared twice',
  UNKNOWN_ATTRIBUTE: 'names an attribute that does not exist',
  UNKNOWN_RELATIONSHIP: 'names a relationship that does not exist',
  UNKNOWN_RESOURCE: 'names a resource that does not exist',
  UNKNOWN_ACTION: 'names an action that does not exist',
  UNKNOWN_ARGUMENT: 'names an argument that does not exist',
  INVALID_DEFAULT: 'has a default the attribute cannot hold',
  INVALID_VALUE: 'uses a value the attribute cannot hold',
  INVALID_CONSTRAINT: 'has contradictory constraints',
  NOT_ACCEPTABLE: 'accepts an attribute that is private or generated',
  UNSATISFIABLE_ACTION: 'can never succeed',
  WRONG_ACTION_TYPE: 'uses an action of the wrong type',
  INVALID_PRIMARY_KEY: 'must have exactly one uuid primary key',
  INVALID_INDEX: 'is not a valid index',
  INVALID_RELATIONSHIP: 'is not a valid relationship',
  INVALID_POLICY: 'is not a valid policy',
  INVALID_ROUTE: 'is not a valid route',
  INVALID_FILE: 'is not a valid resource file',
  UNKNOWN_TYPE: 'names a TypeScript type that the resource file does not export',
} as const satisfies Record<string, string>;

export type DefinitionErrorCode = keyof typeof definitionErrorCatalog;

export interface DefinitionIssue {
  readonly code: DefinitionErrorCode;
  /** The resource file, relative to the working directory. */
  readonly file: string;
  /** Dotted path of the offending member, starting with the resource name: `work_item.actions.claim_work.accept`. */
  readonly member: string;
  readonly detail: string;
}

export const formatIssue = (issue: DefinitionIssue): string =>
  `${issue.file}: ${issue.member} ${definitionErrorCatalog[issue.code]} (${issue.code}): ${issue.detail}`;

/** Every problem in every resource file, reported at once. */
export class DefinitionError extends Error {
  readonly issues: readonly DefinitionIssue[];

  constructor(issues: readonly DefinitionIssue[]) {
    super(
      `Invalid resource definitions (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n'),
    );
    this.name = 'DefinitionError';
    this.issues = issues;
  }
}
