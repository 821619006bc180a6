import type { Logger } from 'pino';
import type { Channels } from '../channels/registry.js';
import type { WarningAnalyser } from '../classify/types.js';
import type { Db } from '../db/index.js';
import type { Outbox } from '../db/messages.js';
import type { LoadedDeployment } from '../deployment/load.js';
import type { Translate } from '../i18n.js';
import type { Pii } from '../pii.js';
import type { Queues } from './queues.js';
import type { OfficerUpdateHandler } from './telegram/index.js';

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
  /** Set when Telegram is configured, in worker processes. */
  telegram?: {
    /** Runs an officer's update through the officer features (src/workflows/telegram). */
    handleOfficerUpdate: OfficerUpdateHandler;
    /** Answers a button press from someone who may not press it. */
    refuseButton(callbackQueryId: string, text: string): Promise<void>;
  };
}
