import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { deleteQueueNamespace } from './redis.js';
import pino, { type Logger } from 'pino';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startTamtam, type StartOptions, type Tamtam } from '../../src/main.js';
import { freshDatabase } from './database.js';
import { testRedisUrl, type QueueBackendKind } from './env.js';

export const adminToken = 'test-admin-token-0123456789';
const gazetteerDir = fileURLToPath(new URL('../../deploy/gazetteer', import.meta.url));

/** A deployment for workflow tests: short deadlines so escalation runs in seconds. */
/**
 * `groupIncidents`: whether other reporters' warnings of one incident are grouped under the first alert
 * (off by default here: most tests send many warnings about Mopti and count the alerts; test/workflow/incidents.test.ts turns it on).
 * `focalPoints`: reporters known in advance, each with the place they are registered at.
 */
export function testDeployment({
  ackTimeout = '2s',
  repeatLast = 1,
  groupIncidents = false,
  focalPoints = [],
}: { ackTimeout?: string; repeatLast?: number; groupIncidents?: boolean; focalPoints?: { phone: string; place: string }[] } = {}): string {
  return `
mission: TEST
defaultLanguage: fr
fieldOffices:
  - { id: mopti, name: Mopti Field Office, area: { admin1: [Mopti] }, location: [14.49, -4.19] }
  - { id: gao, name: Gao Field Office, area: { admin1: [Gao] }, location: [16.27, -0.04] }
  - { id: joc, name: Mission JOC, area: {}, triage: true }
officers:
  - { id: o-diallo, name: A. Diallo, office: mopti, role: officer, phone: "+22370000001", language: fr }
  - { id: o-traore, name: F. Traoré, office: mopti, role: officer, language: fr }
  - { id: o-keita, name: B. Keita, office: mopti, role: supervisor, language: fr }
  - { id: o-maiga, name: H. Maïga, office: gao, role: officer, phone: "+22370000004", language: fr }
  - { id: o-joc, name: JOC duty, office: joc, role: joc, phone: "+22370000003", language: en }
escalationPolicies:
  default:
    ackTimeout: { critical: ${ackTimeout}, high: ${ackTimeout}, medium: ${ackTimeout}, low: ${ackTimeout} }
    levels:
      - notify: [office.officers]
      - notify: [office.supervisors]
      - notify: [role.joc]
    repeatLast: ${repeatLast}
gazetteers:
  - path: ${path.join(gazetteerDir, 'mali.csv')}
sameIncident: { group: ${groupIncidents} }
focalPoints: [${focalPoints.map((f) => `{ phone: "${f.phone}", place: ${f.place} }`).join(', ')}]
`;
}

export interface TestTamtam extends Tamtam {
  backend: QueueBackendKind;
  namespace: string;
  databaseUrl: string;
  /** Sends a message through the simulator webhook, as a reporter or officer would. */
  send(from: string, text: string, id?: string): Promise<Response>;
  /** Calls the HTTP API with the admin token. */
  api(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  /** Simulator messages sent so far (optionally to one address). */
  outbox(to?: string): Promise<{ id: number; to: string; purpose: string; text: string; alertId: number | null }[]>;
  /** Removes the queue's data, as if Redis (or the queue schema) were wiped. */
  wipeQueues(): Promise<void>;
}

export interface TestTamtamOptions {
  backend: QueueBackendKind;
  deployment?: string;
  start?: Omit<StartOptions, 'queueNamespace' | 'log'>;
  /** Extra environment (TELEGRAM_*, TWILIO_*, PUBLIC_URL, a fixed PORT…), applied over the test defaults. */
  env?: Record<string, string>;
  /** Receives every log line (JSON) when set; otherwise logs are silent. */
  logLines?: string[];
  /** Reuse this database and namespace (a second process on the same data). */
  shared?: { databaseUrl: string; namespace: string };
  /** The logger to use instead of a silent one (tests that read the log lines). */
  log?: Logger;
}

/** A TCP port free right now on 127.0.0.1, for a server whose URL must be known before it starts (PUBLIC_URL). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts Tamtam on a fresh database and a queue namespace of its own. */
export async function startTestTamtam(options: TestTamtamOptions): Promise<TestTamtam> {
  const db = options.shared ? null : await freshDatabase();
  const databaseUrl = options.shared?.databaseUrl ?? db!.url;
  const namespace = options.shared?.namespace ?? `t_${randomBytes(5).toString('hex')}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-'));
  const deploymentFile = path.join(dir, 'deployment.yaml');
  await writeFile(deploymentFile, options.deployment ?? testDeployment());
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.backend === 'redis' ? testRedisUrl : undefined,
    DATA_DIR: dir,
    PORT: '0',
    DEPLOYMENT_FILE: deploymentFile,
    ADMIN_API_TOKEN: adminToken,
    PII_KEY: Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: options.logLines ? 'debug' : (process.env.TEST_LOG_LEVEL ?? 'silent'),
    ...options.env,
  });
  const lines = options.logLines;
  const log =
    options.log ?? (lines ? createLogger(config.logLevel, { write: (line: string) => void lines.push(line) }) : pino({ level: config.logLevel }));
  const tamtam = await startTamtam(config, { ...options.start, queueNamespace: namespace, log });
  const auth = { authorization: `Bearer ${adminToken}` };
  const api = (p: string, init: RequestInit = {}) => fetch(`${tamtam.url}${p}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  return {
    ...tamtam,
    backend: options.backend,
    namespace,
    databaseUrl,
    api,
    send: (from, text, id) =>
      api('/simulator/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text, id }) }),
    async outbox(to) {
      const response = await api(`/simulator/outbox?limit=1000${to ? `&to=${encodeURIComponent(to)}` : ''}`);
      return (await response.json()) as Awaited<ReturnType<TestTamtam['outbox']>>;
    },
    async wipeQueues() {
      if (options.backend === 'redis') {
        await deleteQueueNamespace(testRedisUrl, namespace);
      } else {
        const { rows } = await tamtam.database.pool.query<{ table_name: string }>(
          `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' and table_name not like '%migration%'`,
          [namespace],
        );
        // Workers are busy on these tables: a deadlock may pick the truncate as its victim; try again.
        for (let attempt = 1; rows.length; attempt++) {
          try {
            await tamtam.database.pool.query(`truncate ${rows.map((r) => `"${namespace}"."${r.table_name}"`).join(', ')} cascade`);
            break;
          } catch (error) {
            if (attempt >= 5 || !/deadlock/.test((error as Error).message)) throw error;
          }
        }
      }
    },
    async stop() {
      await tamtam.stop();
      if (options.backend === 'redis' && !options.shared) {
        await deleteQueueNamespace(testRedisUrl, namespace);
      }
      await db?.drop();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false | null>,
  { timeout = 15_000, interval = 50, what = 'condition' } = {},
): Promise<T> {
  const until = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await check();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
