import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Intake } from '../channels/channel.js';
import type { Channels } from '../channels/registry.js';
import type { Db } from '../db/index.js';
import type { Queues } from '../workflows/queue/queues.js';
import { registerApiRoutes } from './api.js';
import type { AdminAuth } from './auth.js';
import { registerHealthRoutes } from './metrics.js';
import { registerReportRoutes } from './reports.js';
import type { WebDeps } from '../web/deps.js';
import { registerWebRoutes } from '../web/index.js';
import { viewerOf } from '../web/session.js';

/** The HTTP server: webhooks of every channel, health, metrics, the alerts API and the operations room. */
export function createHttpServer(deps: {
  db: Db;
  queues: Queues;
  channels: Channels;
  intake: Intake;
  log: Logger;
  authorize: AdminAuth;
  timezone: string;
  web?: WebDeps;
  /** See Config.trustProxy. */
  trustProxy?: number | string[];
}): FastifyInstance {
  const app = Fastify({
    // A number of hops is what Fastify does with a number (its types want the function).
    ...(typeof deps.trustProxy === 'number'
      ? { trustProxy: (_address: string, hop: number) => hop < (deps.trustProxy as number) }
      : deps.trustProxy
        ? { trustProxy: deps.trustProxy }
        : {}),
    loggerInstance: deps.log.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
  }) as unknown as FastifyInstance;
  // Bad input gets a 4xx with a reason; anything unexpected is logged and answered 500 without details.
  app.setErrorHandler((error: { statusCode?: number; message: string; retryAfterSeconds?: number }, request, reply) => {
    // Nowhere to store it now (the journal is full and the database unreachable; logged once there): try again later.
    if (error.statusCode === 503)
      return reply
        .code(503)
        .header('retry-after', String(error.retryAfterSeconds ?? 30))
        .send({ error: error.message });
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error.message, path: request.routeOptions.url }, 'request failed');
    return reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }));
  registerHealthRoutes(app, deps);
  registerApiRoutes(app, deps);
  const web = deps.web;
  registerReportRoutes(app, { ...deps, sessionScope: web ? async (request) => viewerOf(web, request) : undefined });
  if (deps.web) registerWebRoutes(app, deps.web);
  for (const channel of deps.channels.list()) channel.registerRoutes?.(app, deps.intake);
  return app;
}
