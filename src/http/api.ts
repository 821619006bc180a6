import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { alertTimeline, listAlerts } from '../db/alert-lists.js';
import { getAlertByRef, type AlertRow } from '../db/alerts.js';
import type { Db } from '../db/index.js';
import { unparkInbound, unprocessableInbound } from '../db/inbound.js';
import type { Queues } from '../workflows/queue/queues.js';
import { outcomeOfTimeline } from '../db/outcomes.js';
import { getPlace, type PlaceRow } from '../db/places.js';
import { incidentFieldsOf } from '../db/incidents.js';
import { normaliseReference } from '../domain/lifecycle.js';
import { alertStatuses } from '../domain/taxonomy.js';
import type { AdminAuth } from './auth.js';

/** The public shape of an alert (DESIGN.md "HTTP"). */
export function alertJson(alert: AlertRow, place: PlaceRow | null) {
  return {
    ref: alert.ref,
    status: alert.status,
    threatType: alert.threatType,
    otherThreatTypes: alert.otherThreatTypes,
    urgency: alert.urgency,
    severity: alert.severity,
    confidence: alert.confidence,
    office: alert.officeId,
    place: place ? { name: place.name, admin1: place.admin1, admin2: place.admin2, lat: place.lat, lon: place.lon } : null,
    language: alert.language,
    text: alert.text,
    escalationLevel: alert.escalationLevel,
    createdAt: alert.createdAt.toISOString(),
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
  };
}

const listQuery = z
  .object({
    status: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(alertStatuses)))
      .optional(),
    office: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be an office id')
      .optional(),
    since: z
      .string()
      .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date or time')
      .transform((s) => new Date(s))
      // PostgreSQL reads years 1 to 9999 written this way; JavaScript allows far more.
      .refine((d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, 'must be between the years 1 and 9999')
      .optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
  })
  .strict();

export function registerApiRoutes(app: FastifyInstance, { db, queues, authorize }: { db: Db; queues: Queues; authorize: AdminAuth }): void {
  app.get('/api/alerts', async (request, reply) => {
    if (!authorize(request, reply)) return reply;
    const query = listQuery.safeParse(request.query);
    if (!query.success) {
      const issue = query.error.issues[0]!;
      return reply.code(400).send({ error: `${issue.path.join('.') || 'query'}: ${issue.message}` });
    }
    const rows = await listAlerts(db, { status: query.data.status, officeId: query.data.office, since: query.data.since, limit: query.data.limit });
    const incidents = await incidentFieldsOf(
      db,
      rows.map((r) => r.alert),
    );
    return reply.send(rows.map((r) => ({ ...alertJson(r.alert, r.place), ...incidents.get(r.alert.id) })));
  });

  // Messages received that no attempt could process (parked, never retried): what and why, never who.
  app.get('/api/inbound/unprocessable', async (request, reply) => {
    if (!authorize(request, reply)) return reply;
    const rows = await unprocessableInbound(db);
    return reply.send(
      rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        receivedAt: r.receivedAt.toISOString(),
        parkedAt: r.parkedAt.toISOString(),
        reason: r.reason,
      })),
    );
  });

  // An admin's retry of a parked message (the cause mended: a key restored, a bug fixed, an outage
  // over): unprocessed again and given one attempt now, in an inbound job of its own. Parked again if
  // that attempt fails for good; left to the reconciler if it fails for a transient reason.
  app.post<{ Params: { id: string } }>('/api/inbound/unprocessable/:id/retry', async (request, reply) => {
    if (!authorize(request, reply)) return reply;
    const id = Number(request.params.id);
    if (!/^[1-9][0-9]{0,15}$/.test(request.params.id) || !Number.isSafeInteger(id))
      return reply.code(400).send({ error: 'id: must be the id of a parked message' });
    if (!(await unparkInbound(db, id))) return reply.code(404).send({ error: `no parked message ${id}` });
    await queues.rerun('inbound', { inboundIds: [id] }, { attempts: 1 });
    request.log.info({ inboundId: id }, 'parked inbound message retried by an admin');
    return reply.code(202).send({ id, retried: true });
  });

  app.get<{ Params: { ref: string } }>('/api/alerts/:ref', async (request, reply) => {
    if (!authorize(request, reply)) return reply;
    const ref = normaliseReference(request.params.ref);
    if (!/^[A-Z0-9]{5,8}$/.test(ref)) return reply.code(400).send({ error: 'ref: must be an alert reference such as A7K3Q' });
    const alert = await getAlertByRef(db, ref);
    if (!alert) return reply.code(404).send({ error: `no alert ${ref}` });
    const [place, events, incidents] = await Promise.all([
      alert.placeId ? getPlace(db, alert.placeId) : null,
      alertTimeline(db, alert.id),
      incidentFieldsOf(db, [alert]),
    ]);
    return reply.send({
      ...alertJson(alert, place),
      // linkedTo: the reporter's earlier alert of another incident; corroboration: { reports, reporters } (DESIGN.md).
      ...incidents.get(alert.id),
      ...outcomeOfTimeline(events),
      events: events.map((e) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, from: e.fromStatus, to: e.toStatus, data: e.data })),
    });
  });
}
