// npx tsx bench/board.ts: the operations room's board with 200 open alerts: the size of its first
// load (the HTML page: styles and script are inline, nothing else is requested) and the server's
// time to answer it (median and p90 of 50 requests, signed in as the administrator).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { createAlert } from '../src/db/alerts.js';
import { placeByName } from '../src/db/places.js';
import { startTamtam } from '../src/main.js';
import { testDeployment } from '../test/helpers/tamtam.js';
import { benchDatabase } from './database.js';

const open = Number(process.argv[2] ?? 200);
const token = 'bench-admin-token-0123456789';
const database = await benchDatabase('tamtam_bench_board');
const dir = await mkdtemp(path.join(tmpdir(), 'tamtam-board-'));
await writeFile(path.join(dir, 'deployment.yaml'), testDeployment({ ackTimeout: '1h' }));
const config = loadConfig({
  DATABASE_URL: database.url,
  DATA_DIR: dir,
  PORT: '0',
  DEPLOYMENT_FILE: path.join(dir, 'deployment.yaml'),
  ADMIN_API_TOKEN: token,
  PII_KEY: Buffer.alloc(32, 7).toString('base64'),
});
const tamtam = await startTamtam(config, { role: 'web', log: pino({ level: 'silent' }), queueNamespace: 'bench_board' });
try {
  const places = await Promise.all(['Mopti', 'Gao', 'Sévaré', 'Bandiagara'].map((name) => placeByName(tamtam.database.db, name)));
  const types = ['attack_on_civilians', 'armed_group_presence', 'abduction', 'intercommunal_tension', 'displacement'];
  await tamtam.database.db.transaction(async (tx) => {
    for (let i = 0; i < open; i++) {
      const place = places[i % places.length] ?? null;
      await createAlert(
        tx,
        {
          text: `Alerte de banc d'essai numéro ${i}, des hommes armés près du village`,
          channel: 'sms',
          focalPointId: null,
          language: 'fr',
          actor: 'system',
        },
        [
          {
            set: {
              status: 'notified',
              threatType: types[i % types.length]!,
              severity: ['critical', 'high', 'medium', 'low'][i % 4]!,
              officeId: i % 2 ? 'mopti' : 'gao',
              placeId: place?.id ?? null,
              ackDeadline: new Date(Date.now() + (i - 50) * 60_000),
            },
            event: { type: 'notified', actor: 'system', to: 'notified' },
          },
        ],
      );
    }
  });
  const signIn = await fetch(`${tamtam.url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${token}&next=/`,
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    const page = await fetch(`${tamtam.url}/`, { headers: { cookie } });
    const body = await page.arrayBuffer();
    times.push(performance.now() - started);
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  const rows = await (await fetch(`${tamtam.url}/board/rows`, { headers: { cookie } })).arrayBuffer();
  console.log(
    `board with ${open} open alerts: first load ${(bytes / 1024).toFixed(1)} KB (one request), fragment ${(rows.byteLength / 1024).toFixed(1)} KB; server answer median ${times[25]!.toFixed(1)} ms, p90 ${times[45]!.toFixed(1)} ms`,
  );
} finally {
  await tamtam.stop();
  await database.drop();
}
