import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { OutgoingMessage } from './channels/channel.js';
import { createChannels } from './channels/registry.js';
import { createWarningAnalyser } from './classify/analyser.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { findOrCreateFocalPoint, updateFocalPoint } from './db/focal-points.js';
import type { Database } from './db/index.js';
import { createOutbox } from './db/outbox.js';
import { EmbeddedPostgresError } from './db/embedded.js';
import { databaseIncarnation } from './db/installation.js';
import { openDatabase } from './db/open.js';
import { syncDeployment } from './db/offices.js';
import { allPlaces, placeByName } from './db/places.js';
import { DeploymentError, loadDeployment, type LoadedDeployment } from './deployment/load.js';
import { createAdminAuth } from './http/auth.js';
import { createHttpServer } from './http/server.js';
import { importDeploymentGazetteers } from './gazetteer/import.js';
import { createI18n } from './i18n.js';
import { createFaultLog } from './faults.js';
import { createLogger } from './logger.js';
import { createPii, loadOrCreatePiiKey, type Pii } from './pii.js';
import { createQueueBackend } from './workflows/queue/backend.js';
import type { WorkflowDeps } from './workflows/deps.js';
import { createIntake } from './workflows/alerts/intake.js';
import { InboundJournal } from './workflows/journal/inbound-journal.js';
import { createIntakeJournal } from './workflows/journal/intake-journal.js';
import { createQueues } from './workflows/queue/queues.js';
import { startWorkers, type WorkerOptions } from './workflows/queue/workers.js';
import { sealLegacyInboundMeta } from './workflows/alerts/inbound-meta.js';

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

/** Wires and starts Tamtam: the only place that builds the logger, database, queues, channels, HTTP and workers. */
export async function startTamtam(config: Config, options: StartOptions = {}): Promise<Tamtam> {
  const role = options.role ?? 'all';
  const log = options.log ?? createLogger(config.logLevel);
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const deployment = await loadDeployment(config.deploymentFile);
    const faults = createFaultLog(log);
    cleanup.push(async () => faults.close());
    const database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      log,
      onError: (error) => faults.fault('database', 'database pool', error),
    });
    cleanup.push(() => database.close());
    faults.probe('database', () => database.pool.query('select 1'));
    const databaseUrl = database.url;
    await syncDeployment(database.db, deployment);
    await importDeploymentGazetteers(database.db, deployment.gazetteers, log);
    const pii = createPii(config.piiKey ?? (await loadOrCreatePiiKey(config.dataDir)));
    await syncFocalPoints(database, pii, deployment, log);
    // Messages stored by a version that kept Telegram updates in the clear: sealed once, here.
    const sealed = await sealLegacyInboundMeta(database.db, pii);
    if (sealed > 0) log.info({ messages: sealed }, 'sealed the Telegram updates stored in the clear by an earlier version');

    // Connection errors of queues and workers are reported through `faults` (the backend listens).
    const backend = createQueueBackend({ redisUrl: config.redisUrl, databaseUrl, namespace: options.queueNamespace, faults });
    // Job ids carry the database's incarnation: see QueuesOptions.jobIdPrefix.
    const queues = createQueues(backend, { jobIdPrefix: await databaseIncarnation(database.db) });
    faults.probe('queue', () => queues.get('inbound').getJobCounts('wait'));
    cleanup.push(
      () => backend.close(),
      () => queues.close(),
    );

    const authorize = createAdminAuth(config.adminApiToken, log);
    const channels = await createChannels(config, {
      publicUrl: config.publicUrl,
      db: database.db,
      pii,
      log,
      authorize,
      onSimulatorSend: options.onSimulatorSend,
    });
    for (const channel of channels.list()) if (channel.close) cleanup.push(() => channel.close!());
    const { t, languages } = await createI18n();
    // Only workers classify: a web process skips loading the gazetteer into memory.
    const analyser = createWarningAnalyser({ places: role === 'web' ? [] : await allPlaces(database.db) });
    const deps: WorkflowDeps = {
      db: database.db,
      outbox: createOutbox(database.db),
      log,
      pii,
      queues,
      channels,
      analyser,
      deployment,
      t,
      now: () => new Date(),
      publicUrl: config.publicUrl,
    };

    let url: string | null = null;
    if (role !== 'worker') {
      // Inbound messages wait here while PostgreSQL is unreachable; replayed as soon as it answers (and now, if a previous run left some).
      const journalFiles = await InboundJournal.open({ dir: path.join(config.dataDir, 'journal'), limits: config.journal, pii, log });
      const journal = createIntakeJournal({ db: database.db, queues, journal: journalFiles, log });
      cleanup.push(() => journal.close());
      const intake = createIntake({ db: database.db, pii, queues, log, journal, faults });
      const web = {
        db: database.db,
        log,
        t,
        defaultLanguage: deployment.defaultLanguage,
        timezone: deployment.timezone,
        adminToken: config.adminApiToken,
        secureCookies: config.publicUrl.startsWith('https:'),
        workflow: deps,
      };
      const app = createHttpServer({
        db: database.db,
        queues,
        channels,
        intake,
        log,
        authorize,
        timezone: deployment.timezone,
        web,
        trustProxy: config.trustProxy,
      });
      url = await app.listen({ port: config.port, host: '0.0.0.0' });
      url = url.replace('0.0.0.0', '127.0.0.1');
      cleanup.push(() => app.close());
      for (const channel of channels.list()) await channel.start?.(intake);
    }
    if (role !== 'web') {
      const workers = await startWorkers(deps, { languages, faults, ...options.workers });
      cleanup.push(() => workers.close());
    }
    log.info(
      {
        role,
        url,
        queueBackend: backend.kind,
        database: config.databaseUrl ? 'external' : 'embedded',
        channels: channels.list().map((c) => c.name),
        mission: deployment.mission,
      },
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
    if (error instanceof EmbeddedPostgresError) {
      console.error(error.message);
      process.exit(1);
    }
    log.fatal({ err: (error as Error).message }, 'start-up failed');
    process.exit(1);
  }
  if (stopping) void stop();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
