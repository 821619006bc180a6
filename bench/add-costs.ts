/**
 * What adding jobs costs on BullMQ's PostgreSQL queue backend: one job at a time, a bulk of one,
 * and a few jobs added one by one against the same as a bulk.
 * `npx tsx bench/add-costs.ts` (its own database, dropped at the end).
 *
 * It is why `createQueues` adds fewer than `postgresBulkFrom` jobs one by one on this backend:
 * BullMQ's bulk add goes through two temporary tables, a cost of several milliseconds of the
 * database's time whatever the bulk's size.
 */
import { createQueueBackend } from '../src/workflows/queue/backend.js';
import { postgresBulkFrom } from '../src/workflows/queue/queues.js';
import { benchDatabase } from './database.js';

const database = await benchDatabase('tamtam_bench_add');
const backend = createQueueBackend({ databaseUrl: database.url, namespace: 'add_costs' });
const queue = backend.createQueue('costs', { defaultJobOptions: { removeOnComplete: true } });
await queue.waitUntilReady();

let next = 0;
const job = () => ({ name: 'job', data: { n: next }, opts: { jobId: `job-${next++}` } });
const oneByOne = async (jobs: ReturnType<typeof job>[]) => {
  for (const j of jobs) await queue.add(j.name, j.data, j.opts);
};
const jobs = (n: number) => Array.from({ length: n }, job);

async function time(label: string, calls: number, call: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  console.log(`${label.padEnd(36)} ${((performance.now() - started) / calls).toFixed(2).padStart(7)} ms a call`);
}

console.log(`== adding jobs on the PostgreSQL queue backend (npx tsx bench/add-costs.ts); bulks from ${postgresBulkFrom} jobs in Tamtam`);
for (const pass of ['first pass (cold)', 'second pass']) {
  console.log(`-- ${pass}`);
  await time('1 job, add', 200, () => oneByOne(jobs(1)));
  await time('1 job, addBulk', 200, () => queue.addBulk(jobs(1)));
  for (const n of [3, postgresBulkFrom]) {
    await time(`${n} jobs, one by one`, 100, () => oneByOne(jobs(n)));
    await time(`${n} jobs, addBulk`, 100, () => queue.addBulk(jobs(n)));
  }
}
await queue.close();
await backend.close();
await database.drop();
