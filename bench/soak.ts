// Soak: `npm run bench -- --only soak [--minutes 30] [--backend redis|postgres] [--rate 20]`.
// One Tamtam (role all, product defaults) on a fresh database takes `rate` new warnings a second
// through the intake (the function the webhooks call), each from a reporter of its own; an officer
// acknowledges every alert by SMS (`OK <ref>`, through the same intake), answers every second one's
// reporter (`R <ref> …`) and resolves it (`FIN <ref> patrouille`). Each minute it prints the
// process's RSS and heap, the event loop's delay p99 over that minute, what went through, and the
// errors of that minute (log lines at level error or above, `job failed` warnings, intake calls
// that threw). The process measured is the benchmark's own (Tamtam runs in it).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { startTamtam } from '../src/main.js';
import { createIntake } from '../src/workflows/alerts/intake.js';
import { deleteQueueNamespace } from '../test/helpers/redis.js';
import { benchDatabase } from './database.js';
import { benchDeployment, redisUrl } from './workflow.js';

const officerPhone = '+22370000001';
const deployment = benchDeployment('10m', { mission: 'SOAK', officers: 1, officerPhone });

export interface SoakMinute {
  minute: number;
  rssMb: number;
  heapMb: number;
  loopDelayP99Ms: number;
  warnings: number;
  alerts: number;
  acks: number;
  replies: number;
  errors: number;
}

export async function benchSoak(
  backend: 'redis' | 'postgres',
  { minutes, rate, print }: { minutes: number; rate: number; print: (m: SoakMinute) => void },
): Promise<SoakMinute[]> {
  const database = await benchDatabase('tamtam_soak');
  const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-soak-'));
  await writeFile(path.join(dir, 'deployment.yaml'), deployment);
  const namespace = `soak_${randomBytes(4).toString('hex')}`;
  let errors = 0;
  const errorLines: string[] = [];
  const counter = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        const { level, msg } = JSON.parse(line) as { level: number; msg: string };
        if (level >= 50 || msg === 'job failed') {
          errors++;
          if (errorLines.length < 20) errorLines.push(line.slice(0, 400));
        }
      }
      done();
    },
  });
  const app = await startTamtam(
    loadConfig({
      DATABASE_URL: database.url,
      ...(backend === 'redis' ? { REDIS_URL: redisUrl } : {}),
      PORT: '0',
      DATA_DIR: dir,
      DEPLOYMENT_FILE: path.join(dir, 'deployment.yaml'),
      PII_KEY: randomBytes(32).toString('base64'),
    }),
    { role: 'all', queueNamespace: namespace, log: pino({ level: 'warn' }, counter) },
  );
  const observer = new pg.Client({ connectionString: database.url });
  await observer.connect();
  const intake = createIntake({ db: app.deps.db, pii: app.deps.pii, queues: app.deps.queues, log: app.deps.log });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const figures: SoakMinute[] = [];
  let n = 0;
  let acted = 0; // alerts the officer has answered (by id order)
  const counts = { warnings: 0, acks: 0, replies: 0 };
  const send = (from: string, text: string) =>
    intake({ channel: 'simulator', providerMessageId: `soak-${n++}`, from, text, receivedAt: new Date() }).catch((error: Error) => {
      errors++;
      if (errorLines.length < 20) errorLines.push(`intake: ${error.message}`);
    });
  try {
    const started = Date.now();
    let minuteStart = started;
    let alertsBefore = 0;
    let reporter = 0;
    let tick = 0;
    while (figures.length < minutes) {
      // `rate` warnings a second, one at a time, evenly spread.
      const due = started + (tick * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      tick++;
      reporter++;
      void send(`+2237${String(6000000 + reporter)}`, `Des hommes armés ont attaqué le village près de Mopti (#${reporter})`);
      counts.warnings++;
      // Every half second: the officer answers the alerts notified since.
      if (tick % Math.max(1, Math.round(rate / 2)) === 0) {
        const { rows } = await observer.query<{ id: number; ref: string }>(
          `select id, ref from alerts where id > $1 and status = 'notified' order by id limit 200`,
          [acted],
        );
        for (const a of rows) {
          acted = Math.max(acted, a.id);
          void send(officerPhone, `OK ${a.ref}`);
          counts.acks++;
          if (a.id % 2 === 0) {
            void send(officerPhone, `R ${a.ref} Merci, une patrouille est en route`).then(() => send(officerPhone, `FIN ${a.ref} patrouille`));
            counts.replies++;
          }
        }
      }
      if (Date.now() - minuteStart >= 60_000) {
        const alerts = (await observer.query<{ n: number }>('select count(*)::int as n from alerts')).rows[0]!.n;
        const memory = process.memoryUsage();
        const minute: SoakMinute = {
          minute: figures.length + 1,
          rssMb: memory.rss / 2 ** 20,
          heapMb: memory.heapUsed / 2 ** 20,
          loopDelayP99Ms: loop.percentile(99) / 1e6,
          warnings: counts.warnings,
          alerts: alerts - alertsBefore,
          acks: counts.acks,
          replies: counts.replies,
          errors,
        };
        figures.push(minute);
        print(minute);
        for (const line of errorLines.splice(0)) console.log(`  error: ${line}`);
        alertsBefore = alerts;
        Object.assign(counts, { warnings: 0, acks: 0, replies: 0 });
        errors = 0;
        loop.reset();
        minuteStart = Date.now();
      }
    }
    return figures;
  } finally {
    loop.disable();
    await app.stop();
    await observer.end();
    if (backend === 'redis') await deleteQueueNamespace(redisUrl, namespace);
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  }
}
