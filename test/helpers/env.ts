/** Where the tests find PostgreSQL and Redis (the machine's services by default). */
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The queue backends every workflow suite runs on. */
export const queueBackends = ['postgres', 'redis'] as const;
export type QueueBackendKind = (typeof queueBackends)[number];

export function databaseUrl(name: string): string {
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
