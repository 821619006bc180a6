import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';
import type { Db } from '../db/index.js';
import { openDatabase } from '../db/open.js';
import { createLogger } from '../logger.js';
import type { ProgressStream } from './progress.js';

/** What a command-line command may use. */
export interface CommandContext {
  stdout: ProgressStream;
  stderr: ProgressStream;
  /** Writes one line to stderr and returns exit status 2 (bad usage, missing file). */
  fail(line: string): number;
  /** Runs `work` on the configured database (the embedded one without DATABASE_URL), then closes it. */
  withDatabase(work: (db: Db, log: Logger, config: Config) => Promise<number>): Promise<number>;
}

export function createCommandContext(stdout: ProgressStream, stderr: ProgressStream): CommandContext {
  const fail = (line: string) => {
    stderr.write(`${line}\n`);
    return 2;
  };
  return {
    stdout,
    stderr,
    fail,
    async withDatabase(work) {
      let config;
      try {
        config = loadConfig();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        for (const line of error.problems) stderr.write(`config: ${line}\n`);
        return 2;
      }
      // Logs go to stderr, so that stdout carries only the command's output (an export, a summary).
      const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
      const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, log });
      try {
        return await work(database.db, log, config);
      } finally {
        await database.close();
      }
    },
  };
}
