import type { Logger } from 'pino';
import type { Db } from '../db/index.js';
import type { Translate } from '../i18n.js';
import type { WorkflowDeps } from '../workflows/deps.js';

/** What the operations room's routes use; built in main.ts. */
export interface WebDeps {
  db: Db;
  log: Logger;
  t: Translate;
  defaultLanguage: string;
  timezone: string;
  /** ADMIN_API_TOKEN: signs in an administrator; undefined = no administrator sign-in. */
  adminToken?: string;
  /** PUBLIC_URL is https: the session cookie is Secure. */
  secureCookies: boolean;
  /** The officer actions (the same functions as the Telegram buttons). */
  workflow: WorkflowDeps;
}
