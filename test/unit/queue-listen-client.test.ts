import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedClient } from '../../src/workflows/queue/backend.js';
import { testPostgresUrl } from '../helpers/env.js';
import { eventually } from '../helpers/tamtam.js';

/** One PostgreSQL wire message: its type, a 4-byte length, its body. */
const message = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
/** An ErrorResponse: fields of one letter and a NUL-terminated text, then a NUL. */
const fatal = (code: string, text: string) => message('E', Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0\0`, 'latin1'));

const accepted = Buffer.concat([message('R', int32(0)), message('Z', Buffer.from('I', 'latin1'))]);
const shuttingDown = fatal('57P01', 'terminating connection due to administrator command');

/**
 * A server that accepts connections (authentication ok, ready for query). With `atOnce`, it says it
 * is shutting down in the same write: what PostgreSQL does when it stops just as a connection is
 * made. Otherwise it says so when `stop` is called.
 */
function fakePostgres({ atOnce }: { atOnce: boolean }): { server: Server; stop: () => void } {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => (atOnce ? socket.end(Buffer.concat([accepted, shuttingDown])) : socket.write(accepted)));
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return { server, stop: () => sockets.forEach((s) => s.end(shuttingDown)) };
}

describe("the queue's LISTEN connection (BullMQ's PostgreSQL backend)", () => {
  const servers: Server[] = [];
  const listening = async (fake: { server: Server }) => {
    servers.push(fake.server.listen(0, '127.0.0.1'));
    await once(fake.server, 'listening');
    return (fake.server.address() as { port: number }).port;
  };
  let port: number;
  beforeAll(async () => {
    port = await listening(fakePostgres({ atOnce: true }));
  });
  afterAll(() => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))));

  it('counts a connection that PostgreSQL ends as it is made as one that failed, reports it, and does not crash', async () => {
    const reported: Error[] = [];
    const Client = guardedClient(pg.Client, (error) => reported.push(error));
    const client = new Client({ host: '127.0.0.1', port, user: 'tamtam', database: 'tamtam' });
    await expect(client.connect()).rejects.toMatchObject({ code: '57P01' });
    expect(reported.map((e) => (e as Error & { code?: string }).code)).toEqual(['57P01']);
  });

  it('still hears PostgreSQL stopping after every listener was removed, as BullMQ does before it ends the client', async () => {
    const fake = fakePostgres({ atOnce: false });
    const reported: Error[] = [];
    const Client = guardedClient(pg.Client, (error) => reported.push(error));
    const client = new Client({ host: '127.0.0.1', port: await listening(fake), user: 'tamtam', database: 'tamtam' });
    await client.connect();
    client.removeAllListeners();
    fake.stop();
    await eventually(async () => (reported.length > 0 ? reported : undefined), { what: 'the error reported' });
    // The server's word, then the socket's end: each heard once.
    expect(reported[0]).toMatchObject({ code: '57P01' });
    expect(reported.filter((e) => (e as Error & { code?: string }).code === '57P01')).toHaveLength(1);
  });

  it('connects and queries as a plain client when PostgreSQL answers', async () => {
    const reported: Error[] = [];
    const Client = guardedClient(pg.Client, (error) => reported.push(error));
    const client = new Client({ connectionString: testPostgresUrl });
    await client.connect();
    expect((await client.query('select 41 + 1 as answer')).rows).toEqual([{ answer: 42 }]);
    await client.end();
    expect(reported).toEqual([]);
  });
});
