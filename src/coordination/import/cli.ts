import pino from 'pino';
import { ConfigError, loadConfig } from '../../config/config.ts';
import { openDatabase } from '../../db/database.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { CoordinationImportError } from './errors.ts';
import { formatReport } from './report.ts';
import { importCoordinationDirectory } from './run-import.ts';

const usage = `Usage: npm run import:coordination -- <directory> [--json]

Imports the original system's work_claims.json, agent_status.json and coordination_log.json from <directory> into
agents, work items and telemetry events, in one transaction. Running it again changes nothing. The database is the
server's: DATABASE_URL, the DATABASE_* variables, or the embedded PostgreSQL under DATA_DIR. --json prints the report
as JSON.`;

/** npm run import:coordination -- <dir>: exit 0 imported (the report says what was skipped), 1 nothing written, 2 usage. */
async function main(args: readonly string[]): Promise<number> {
  const json = args.includes('--json');
  const positional = args.filter((a) => a !== '--json');
  if (positional.length !== 1 || positional[0] === undefined || positional[0].startsWith('-')) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  // Logs go to stderr: stdout carries the report only.
  const log = pino({ level: config.LOG_LEVEL }, pino.destination(2));
  const database = await openDatabase(config, log);
  try {
    await migrateDatabase(database.pool);
    const report = await importCoordinationDirectory(database.db, positional[0]);
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof CoordinationImportError || error instanceof ConfigError
        ? `Import failed: ${error.message}`
        : error,
    );
    process.exitCode = 1;
  },
);
