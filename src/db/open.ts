import type { Logger } from 'pino';
import { startEmbeddedPostgres } from './embedded.js';
import { connectDatabase, migrateDatabase, type Database } from './index.js';

/** A migrated database, and whether it is the embedded one. `close()` also stops the embedded server. */
export interface OpenDatabase extends Database {
  url: string;
  embedded: boolean;
}

/**
 * Connects to `url` or, without one, starts the embedded PostgreSQL under `dataDir`; then applies
 * the migrations. Used by `npm start` and the command line alike.
 */
export async function openDatabase({
  url,
  dataDir,
  log,
  onError,
}: {
  url?: string;
  dataDir: string;
  log: Logger;
  onError?: (error: Error) => void;
}): Promise<OpenDatabase> {
  const embedded = url ? null : await startEmbeddedPostgres({ dataDir, log });
  const databaseUrl = url ?? embedded!.url;
  const database = connectDatabase(databaseUrl, { onError });
  const close = async () => {
    await database.close();
    await embedded?.stop();
  };
  try {
    await migrateDatabase(database.pool);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { ...database, url: databaseUrl, embedded: embedded !== null, close };
}
