import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A local HTTP server that tracks its sockets so `close()` never leaves keep-alive connections behind. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stops listening, closes idle keep-alive sockets at once and in-flight ones after their response (or a 100 ms grace), and waits until every socket is gone. */
  close(): Promise<void>;
}

/** How long in-flight responses get to finish on close before their sockets are destroyed. */
const GRACE_MS = 100;

/** Handles one request; a thrown error becomes a 500 so a bug in a fake shows up in the test, not as a hang. */
export type FakeHandler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void;

/** Starts `handler` on a free 127.0.0.1 port. `onClose` runs first on close (e.g. to release long polls). */
export async function startFakeServer(handler: FakeHandler, onClose?: () => void): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | undefined;
  const server = createServer((req, res) => {
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
    if (closing) res.setHeader('connection', 'close');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks), res)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Responses still being prepared (released long polls) finish, then their socket closes.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
        onClose?.();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Whatever is still open after a short grace (a handler that never answers) is cut.
        setTimeout(() => sockets.forEach((socket) => socket.destroy()), GRACE_MS).unref();
      });
      return closing;
    },
  };
}

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Something a fake received, with the time it arrived. */
export interface Recorded {
  at: Date;
}

/** An append-only list of calls with a way to wait for one that has not arrived yet. */
export class CallLog<C extends Recorded> {
  readonly calls: C[] = [];
  private waiters: { predicate: (call: C) => boolean; resolve: (call: C) => void }[] = [];

  /** Records a call and wakes whoever waits for it. */
  push(call: C): void {
    this.calls.push(call);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(call)) return true;
      waiter.resolve(call);
      return false;
    });
  }

  /** Calls so far that match `predicate`. */
  filter(predicate: (call: C) => boolean): C[] {
    return this.calls.filter(predicate);
  }

  /**
   * Resolves with the first recorded call matching `predicate` (including ones already recorded);
   * rejects after `timeoutMs` (default 2000) with a message listing what did arrive.
   */
  waitFor(predicate: (call: C) => boolean, timeoutMs = 2000, describe: (call: C) => string = (c) => JSON.stringify(c)): Promise<C> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise<C>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.calls.map(describe).join('\n  ') || '(none)';
        reject(new Error(`no matching call within ${timeoutMs} ms; calls received:\n  ${seen}`));
      }, timeoutMs);
      const waiter = {
        predicate,
        resolve: (call: C) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Forgets recorded calls (pending waits stay). */
  clear(): void {
    this.calls.length = 0;
  }
}

/** Failures queued per key (an API method), consumed one per matching call. */
export class FailurePlan<F> {
  private readonly queued = new Map<string, F[]>();

  /** Makes the next `times` calls for `key` fail with `failure`. */
  add(key: string, failure: F, times = 1): void {
    const list = this.queued.get(key) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.queued.set(key, list);
  }

  /** The failure for this call, if one is queued for `key` or for `*`. */
  take(key: string): F | undefined {
    for (const k of [key, '*']) {
      const next = this.queued.get(k)?.shift();
      if (next !== undefined) return next;
    }
    return undefined;
  }
}
