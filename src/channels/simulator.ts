import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../db/index.js';
import { sentOn } from '../db/outbox.js';
import type { Pii } from '../pii.js';
import { channelAdapter, type Channel, type OutgoingMessage } from './channel.js';

/**
 * A channel with no provider behind it, for training, demos and tests: messages are injected
 * over HTTP (`POST /simulator/messages`) and what Tamtam "sends" is read back from the outbox
 * (`GET /simulator/outbox`). Both need the admin token.
 */
export function createSimulatorChannel({
  db,
  pii,
  authorize,
  onSend,
}: {
  db: Db;
  pii: Pii;
  /** Checks the admin bearer token; answers 401/404 itself and returns false when refused. */
  authorize: (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => boolean;
  /** Called for every message sent (in-process observers: benchmarks). */
  onSend?: (message: OutgoingMessage) => void;
}): Channel {
  const inject = z.object({
    from: z
      .string()
      .min(3)
      .max(64)
      .regex(/^[^\p{Cc}]+$/u, 'must have no control characters'),
    text: z.string().min(1).max(4096),
    id: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[^\p{Cc}]+$/u, 'must have no control characters')
      .optional(),
  });
  const outboxQuery = z.object({
    to: z.string().optional(),
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  });
  return {
    name: 'simulator',
    async send(message) {
      onSend?.(message);
      return { providerMessageId: `sim-${message.id}` };
    },
    registerRoutes(app: FastifyInstance, intake) {
      app.post('/simulator/messages', async (request, reply) => {
        if (!authorize(request, reply)) return reply;
        const body = inject.safeParse(request.body);
        if (!body.success)
          return reply.code(400).send({ error: `invalid message: ${body.error.issues[0]?.path.join('.')} ${body.error.issues[0]?.message}` });
        const id = body.data.id ?? randomUUID();
        const result = await intake({
          channel: 'simulator',
          providerMessageId: id,
          from: body.data.from,
          text: body.data.text,
          receivedAt: new Date(),
        });
        return reply.code(result.duplicate ? 200 : 202).send({ id, duplicate: result.duplicate });
      });
      app.get('/simulator/outbox', async (request, reply) => {
        if (!authorize(request, reply)) return reply;
        const query = outboxQuery.safeParse(request.query);
        if (!query.success)
          return reply.code(400).send({ error: `invalid query: ${query.error.issues[0]?.path.join('.')} ${query.error.issues[0]?.message}` });
        const rows = await sentOn(db, 'simulator', query.data);
        const messages = rows
          .map((r) => ({
            id: r.id,
            to: pii.decrypt(r.toEnc),
            purpose: r.purpose,
            alertId: r.alertId,
            text: r.body,
            actions: r.actions,
            sentAt: r.sentAt,
          }))
          .filter((m) => !query.data.to || m.to === query.data.to)
          .reverse();
        return reply.send(messages);
      });
    },
  };
}

/** The simulator: always on (its endpoints need the admin token, so without ADMIN_API_TOKEN nothing reaches it). */
export const simulatorAdapter = channelAdapter({
  channel: 'simulator',
  env: {},
  settings: () => ({}),
  create: (_settings, { db, pii, authorize, onSimulatorSend }) => createSimulatorChannel({ db, pii, authorize, onSend: onSimulatorSend }),
});
