import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CoordinationImportError } from './errors.ts';
import { sourceFiles, type CoordinationSources, type SourceFile } from './plan.ts';

export interface ReadSources {
  readonly sources: CoordinationSources;
  /** Which files were there (a missing one counts as an empty array). */
  readonly present: Readonly<Record<SourceFile, boolean>>;
}

const isMissing = (error: unknown): boolean => error instanceof Error && 'code' in error && error.code === 'ENOENT';

async function readArray(directory: string, file: SourceFile): Promise<readonly unknown[] | undefined> {
  let content: string;
  try {
    content = await readFile(path.join(directory, file), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new CoordinationImportError(
      `${file}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new CoordinationImportError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  if (!Array.isArray(parsed))
    throw new CoordinationImportError(
      `${file}: expected a JSON array of entries, found ${parsed === null ? 'null' : typeof parsed}`,
    );
  return parsed;
}

/**
 * Reads work_claims.json, agent_status.json and coordination_log.json from `directory`. A file that is not a JSON
 * array stops the import before anything is written; a missing file is an empty one, but at least one must exist.
 */
export async function readCoordinationSources(directory: string): Promise<ReadSources> {
  const info = await stat(directory).catch((error: unknown) => {
    throw new CoordinationImportError(
      `${directory}: ${isMissing(error) ? 'no such directory' : error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  });
  if (!info.isDirectory()) throw new CoordinationImportError(`${directory}: not a directory`);
  const [agentStatus, workClaims, coordinationLog] = await Promise.all(
    sourceFiles.map((file) => readArray(directory, file)),
  );
  if (agentStatus === undefined && workClaims === undefined && coordinationLog === undefined) {
    throw new CoordinationImportError(`${directory}: none of ${sourceFiles.join(', ')} is there`);
  }
  return {
    sources: { agentStatus: agentStatus ?? [], workClaims: workClaims ?? [], coordinationLog: coordinationLog ?? [] },
    present: {
      'agent_status.json': agentStatus !== undefined,
      'work_claims.json': workClaims !== undefined,
      'coordination_log.json': coordinationLog !== undefined,
    },
  };
}
