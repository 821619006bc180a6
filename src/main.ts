import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { Channel } from './channels/channel.js';
import { createChannels } from './channels/registry.js';
import { createSimulatorChannel } from './channels/simulator.js';
import { createTelegramChannel, type TelegramChannel } from './channels/telegram.js';
import { createTwilioChannel } from './channels/twilio.js';
import type { OutgoingMessage } from './channels/channel.js';
import { createWarningAnalyser } from './classify/analyser.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { findOrCreateFocalPoint, updateFocalPoint } from './db/focal-points.js';
import type { Database } from './db/index.js';
import { createOutbox } from './db/messages.js';
import { openDatabase } from './db/open.js';
import { syncDeployment } from './db/offices.js';
import { allPlaces, placeByName } from './db/places.js';
import { DeploymentError, loadDeployment, type LoadedDeployment } from './deployment/load.js';
import { createAdminAuth } from './http/auth.js';
import { createHttpServer } from './http/server.js';
import { importDeploymentGazetteers } from './gazetteer/import.js';
import { createI18n } from './i18n.js';
import { createLogger } from './logger.js';
import { createPii, loadOrCreatePiiKey, type Pii } from './pii.js';
import { createQueueBackend } from './workflows/backend.js';
import type { WorkflowDeps } from './workflows/deps.js';
import { createIntake } from './workflows/intake.js';
import { createQueues } from './workflows/queues.js';
import { createOfficerUpdateHandler } from './workflows/telegram/index.js';
import { startWorkers, type WorkerOptions } from './workflows/workers.js';

export type Role = 'all' | 'web' | 'worker';

/** Options a caller (CLI, tests, benchmarks) may add to the configuration. */
export interface StartOptions {
  role?: Role;
  log?: Logger;
  /** Queue namespace (Redis prefix / PostgreSQL schema); tests use one each. */
  queueNamespace?: string;
  workers?: WorkerOptions;
  /** Observes every simulator send (benchmarks). */
  onSimulatorSend?: (message: OutgoingMessage) => void;
}

export interface Tamtam {
  /** Where the HTTP server listens (web role), e.g. http://127.0.0.1:8080. */
  url: string | null;
  deps: WorkflowDeps;
  database: Database;
  stop(): Promise<void>;
}

/** Registers the deployment file's focal points (encrypted), with their place when the gazetteer knows it. */
async function syncFocalPoints(database: Database, pii: Pii, deployment: LoadedDeployment, log: Logger): Promise<void> {
  for (const [i, fp] of deployment.focalPoints.entries()) {
    const place = fp.place ? await placeByName(database.db, fp.place) : null;
    if (fp.place && !place) log.warn({ focalPoint: `focalPoints[${i}]`, place: fp.place }, 'focal point place not in any gazetteer');
    const row = await findOrCreateFocalPoint(database.db, pii, { kind: 'phone', value: fp.phone }, { registered: true });
    await updateFocalPoint(database.db, row.id, {
      nameEnc: fp.name ? pii.encrypt(fp.name) : null,
      placeId: place?.id ?? null,
      language: fp.language ?? row.language,
      silent: fp.silent,
      registered: true,
    });
  }
}

/** Tells Telegram where to deliver updates (PUBLIC_URL), with the secret it must send back. */
async function registerTelegramWebhook(telegram: TelegramChannel, config: Config, log: Logger): Promise<void> {
  const url = `${config.publicUrl}/webhooks/telegram`;
  try {
    await telegram.bot.api.setWebhook(url, { secret_token: config.telegram?.webhookSecret, allowed_updates: ['message', 'edited_message', 'callback_query'] });
    log.info({ url }, 'Telegram webhook set');
  } catch (error) {
    // Not fatal: Telegram may be unreachable for a while; updates wait on Telegram's side.
    log.error({ url, err: (error as Error).message }, 'could not set the Telegram webhook');
  }
}

/** Wires and starts Tamtam: the only place that builds the logger, database, queues, channels, HTTP and workers. */
export async function startTamtam(config: Config, options: StartOptions = {}): Promise<Tamtam> {
  const role = options.role ?? 'all';
  const log = options.log ?? createLogger(config.logLevel);
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const deployment = await loadDeployment(config.deploymentFile);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, log });
    cleanup.push(() => database.close());
    const databaseUrl = database.url;
    await syncDeployment(database.db, deployment);
    await importDeploymentGazetteers(database.db, deployment.gazetteers, log);
    const pii = createPii(config.piiKey ?? (await loadOrCreatePiiKey(config.dataDir)));
    await syncFocalPoints(database, pii, deployment, log);

    const backend = createQueueBackend({ redisUrl: config.redisUrl, databaseUrl, namespace: options.queueNamespace });
    const queues = createQueues(backend);
    cleanup.push(() => backend.close(), () => queues.close());

    const authorize = createAdminAuth(config.adminApiToken, log);
    const channelList: Channel[] = [createSimulatorChannel({ db: database.db, pii, authorize, onSend: options.onSimulatorSend })];
    const telegram = config.telegram ? createTelegramChannel({ config: config.telegram, log }) : null;
    if (telegram) {
      channelList.push(telegram);
      cleanup.push(() => telegram.close!());
    }
    if (config.twilio) channelList.push(createTwilioChannel({ config: config.twilio, publicUrl: config.publicUrl, db: database.db, log }));
    const channels = createChannels(channelList);
    const { t, languages } = await createI18n();
    // Only workers classify: a web process skips loading the gazetteer into memory.
    const analyser = createWarningAnalyser({ places: role === 'web' ? [] : await allPlaces(database.db) });
    const deps: WorkflowDeps = { db: database.db, outbox: createOutbox(database.db), log, pii, queues, channels, analyser, deployment, t, now: () => new Date(), publicUrl: config.publicUrl };

    let url: string | null = null;
    if (role !== 'worker') {
      const intake = createIntake({ db: database.db, pii, queues, log });
      const web = {
        db: database.db, log, t, defaultLanguage: deployment.defaultLanguage, timezone: deployment.timezone,
        adminToken: config.adminApiToken, secureCookies: config.publicUrl.startsWith('https:'), workflow: deps,
      };
      const app = createHttpServer({ db: database.db, queues, channels, intake, log, authorize, timezone: deployment.timezone, web });
      url = await app.listen({ port: config.port, host: '0.0.0.0' });
      url = url.replace('0.0.0.0', '127.0.0.1');
      cleanup.push(() => app.close());
      if (telegram && config.telegram?.mode === 'polling') telegram.startPolling(intake);
      else if (telegram) await registerTelegramWebhook(telegram, config, log);
    }
    if (role !== 'web') {
      if (telegram) {
        deps.telegram = {
          handleOfficerUpdate: await createOfficerUpdateHandler(telegram.bot, deps, languages),
          refuseButton: async (id, text) => {
            await telegram.bot.api.answerCallbackQuery(id, { text, show_alert: true });
          },
        };
      }
      const workers = await startWorkers(deps, { languages, ...options.workers });
      cleanup.push(() => workers.close());
    }
    log.info(
      { role, url, queueBackend: backend.kind, database: config.databaseUrl ? 'external' : 'embedded', channels: channels.list().map((c) => c.name), mission: deployment.mission },
      `Tamtam ${role} ready${url ? ` at ${url}` : ''}`,
    );
    return {
      url,
      deps,
      database,
      // Close in reverse order of start: HTTP and workers first, databases last.
      stop: async () => {
        for (const close of cleanup.reverse()) await close().catch((err: Error) => log.warn({ err: err.message }, 'error while stopping'));
      },
    };
  } catch (error) {
    for (const close of cleanup.reverse()) await close().catch(() => {});
    throw error;
  }
}

function parseRole(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const role = i >= 0 ? argv[i + 1] : 'all';
  if (role !== 'all' && role !== 'web' && role !== 'worker') throw new ConfigError([`--role: must be web, worker or all (got "${role}")`]);
  return role;
}

async function main(): Promise<void> {
  let config: Config;
  let role: Role;
  try {
    config = loadConfig();
    role = parseRole(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) console.error(`config: ${line}`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  // Signals are handled from the first moment: one that arrives during start-up stops Tamtam as
  // soon as it is up; a second one exits at once.
  let tamtam: Tamtam | null = null;
  let stopping = false;
  const stop = () =>
    tamtam!.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  const shutdown = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal }, 'stopping: finishing active jobs (send the signal again to exit at once)');
    if (tamtam) void stop();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  try {
    tamtam = await startTamtam(config, { role, log });
  } catch (error) {
    if (error instanceof DeploymentError) {
      for (const line of error.problems) console.error(`${error.file}: ${line}`);
      process.exit(2);
    }
    log.fatal({ err: (error as Error).message }, 'start-up failed');
    process.exit(1);
  }
  if (stopping) void stop();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
