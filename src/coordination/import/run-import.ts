import type { Database } from '../../db/pool.ts';
import { buildReport, type ImportReport } from './report.ts';
import { readCoordinationSources } from './source.ts';
import { planImport } from './transform.ts';
import { writeImportPlan } from './write.ts';

/**
 * Imports the original's coordination files from `directory`: read (a broken file stops here), plan (pure), write
 * (one transaction). Idempotent; throws CoordinationImportError when nothing could be written.
 */
export async function importCoordinationDirectory(db: Database, directory: string): Promise<ImportReport> {
  const { sources, present } = await readCoordinationSources(directory);
  const plan = planImport(sources);
  const inserted = await writeImportPlan(db, plan);
  return buildReport({ directory, present, plan, inserted });
}
