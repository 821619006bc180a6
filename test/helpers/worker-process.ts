// A worker in a process of its own, so a test can kill it with SIGKILL mid-job.
// Usage: tsx test/helpers/worker-process.ts <databaseUrl> <namespace> <postgres|redis> <deploymentFile> [sendsFile]
// With a sends file, the id of every simulator message sent is appended to it as it goes out
// (a synchronous write: it survives the SIGKILL).
import { appendFileSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { startTamtam } from '../../src/main.js';
import { testRedisUrl } from './env.js';

const [databaseUrl, namespace, backend, deploymentFile, sendsFile] = process.argv.slice(2);
const config = loadConfig({
  DATABASE_URL: databaseUrl,
  REDIS_URL: backend === 'redis' ? testRedisUrl : undefined,
  DEPLOYMENT_FILE: deploymentFile,
  PII_KEY: Buffer.alloc(32, 7).toString('base64'),
  LOG_LEVEL: 'silent',
});
await startTamtam(config, {
  role: 'worker',
  queueNamespace: namespace,
  log: pino({ level: 'silent' }),
  workers: { stalledIntervalMs: 1_000 },
  onSimulatorSend: sendsFile ? (message) => appendFileSync(sendsFile, `${message.id}\n`) : undefined,
});
process.stdout.write('ready\n');
