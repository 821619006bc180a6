// Tamtam in a process of its own for bench/webhooks.ts, so that the load generator and the fake
// provider APIs (in the benchmark's process) do not share its event loop, and for bench/workflow.ts's
// `--workers N` (role worker). Started by bench/tamtam-child.ts. Configured by the environment as
// `npm start` is, plus BENCH_NAMESPACE (queue namespace) and BENCH_ROLE. Prints one JSON line
// ({"url": …}, null for role worker) when ready; SIGTERM stops it as `npm start` stops.
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { startTamtam, type Role } from '../src/main.js';

const app = await startTamtam(loadConfig(), {
  role: (process.env.BENCH_ROLE ?? 'all') as Role,
  queueNamespace: process.env.BENCH_NAMESPACE,
  log: pino({ level: 'silent' }),
});
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
process.once(
  'SIGTERM',
  () =>
    void app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    ),
);
