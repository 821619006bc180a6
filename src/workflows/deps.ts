import type { Logger } from 'pino';
import type { Channels } from '../channels/registry.js';
import type { WarningAnalyser } from '../classify/types.js';
import type { Db } from '../db/index.js';
import type { Outbox } from '../db/outbox.js';
import type { LoadedDeployment } from '../deployment/load.js';
import type { Translate } from '../i18n.js';
import type { Pii } from '../pii.js';
import type { Queues } from './queue/queues.js';

/** What every workflow step may use; built once in main.ts. */
export interface WorkflowDeps {
  db: Db;
  /** Outbound messages as the send step reads and settles them (statements shared by concurrent jobs). */
  outbox: Outbox;
  log: Logger;
  pii: Pii;
  queues: Queues;
  channels: Channels;
  analyser: WarningAnalyser;
  deployment: LoadedDeployment;
  t: Translate;
  now: () => Date;
  /** Where people reach this service (PUBLIC_URL): sign-in links to the operations room start with it. */
  publicUrl?: string;
}
