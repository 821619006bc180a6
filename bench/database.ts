import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A benchmark's own empty database; `drop()` removes it. */
export async function benchDatabase(prefix = 'tamtam_bench'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      // pg's Pool.end() resolves before its connections have closed on the server's side: wait (up
      // to 5 s) for them to go, as a forced drop would terminate them mid-close (pg reports it on stderr).
      const until = Date.now() + 5_000;
      for (;;) {
        const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]!.n === 0 || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}
