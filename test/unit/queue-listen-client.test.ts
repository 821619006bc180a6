import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedClient } from '../../src/workflows/queue/backend.js';
import { testPostgresUrl } from '../helpers/env.js';

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

/**
 * A server that accepts the connection (authentication ok, ready for query) and, in the same write,
 * says it is shutting down: what PostgreSQL does when it stops just as a connection is made.
 */
function shuttingDownServer(): Server {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      socket.end(
        Buffer.concat([
          message('R', int32(0)),
          message('Z', Buffer.from('I', 'latin1')),
          fatal('57P01', 'terminating connection due to administrator command'),
        ]),
      );
    });
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return server;
}

describe("the queue's LISTEN connection (BullMQ's PostgreSQL backend)", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = shuttingDownServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts a connection that PostgreSQL ends as it is made as one that failed, reports it, and does not crash', async () => {
    const reported: Error[] = [];
    const Client = guardedClient(pg.Client, (error) => reported.push(error));
    const client = new Client({ host: '127.0.0.1', port, user: 'tamtam', database: 'tamtam' });
    await expect(client.connect()).rejects.toMatchObject({ code: '57P01' });
    expect(reported.map((e) => (e as Error & { code?: string }).code)).toEqual(['57P01']);
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
