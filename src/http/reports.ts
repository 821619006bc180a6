import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { exportAlerts } from '../db/alert-export.js';
import type { Db } from '../db/index.js';
import { seasonalReport } from '../db/seasonal-report.js';
import { alertsCsv } from '../reports/alerts-csv.js';
import { responseDefinitions } from '../reports/definitions.js';
import { exportQuery, firstProblem, responseQuery, seasonalQuery } from '../reports/params.js';
import { alertsOfOffice, scopedResponseReport, seasonalRowsInArea } from '../reports/scoped.js';
import { getOffice } from '../db/offices.js';
import type { AdminAuth } from './auth.js';

/** The signed-in operations-room user of a request, and the office they see (null: every office), or null. */
export type SessionScope = (request: FastifyRequest) => Promise<{ officeId: string | null } | null>;

/** Parses a query, or answers 400 with the first problem and returns null. */
function parsed<S extends z.ZodType>(schema: S, query: unknown, reply: FastifyReply): z.output<S> | null {
  const result = schema.safeParse(query);
  if (result.success) return result.data;
  void reply.code(400).send({ error: firstProblem(result.error) });
  return null;
}

/**
 * The mission's reports (DESIGN.md "Response and its record"), behind the admin bearer token or a
 * signed-in operations-room session, scoped to what that person sees (their office; for the
 * seasonal report, the places of their office's area):
 * `GET /api/reports/response`, `GET /api/reports/seasonal` and `GET /api/exports/alerts.csv`.
 * Periods are dates in the mission's `timezone`; `exercise=1` includes exercise alerts.
 */
export function registerReportRoutes(
  app: FastifyInstance,
  { db, authorize, timezone, sessionScope }: { db: Db; authorize: AdminAuth; timezone: string; sessionScope?: SessionScope },
): void {
  /** The bearer token sees every office; without one, a signed-in session sees its own. */
  const scopeOf = async (request: FastifyRequest, reply: FastifyReply): Promise<{ officeId: string | null } | null> => {
    if (!request.headers.authorization && sessionScope) {
      const scope = await sessionScope(request);
      if (scope) return scope;
    }
    return authorize(request, reply) ? { officeId: null } : null;
  };

  app.get('/api/reports/response', async (request, reply) => {
    const scope = await scopeOf(request, reply);
    if (!scope) return reply;
    const query = parsed(responseQuery, request.query, reply);
    if (!query) return reply;
    const { rows, total } = await scopedResponseReport(db, { ...query, timezone }, scope.officeId);
    return reply.send({
      from: query.from,
      to: query.to,
      by: query.by,
      timezone,
      exercise: query.exercise,
      definitions: responseDefinitions,
      rows,
      total,
    });
  });

  app.get('/api/reports/seasonal', async (request, reply) => {
    const scope = await scopeOf(request, reply);
    if (!scope) return reply;
    const query = parsed(seasonalQuery, request.query, reply);
    if (!query) return reply;
    const area = scope.officeId ? ((await getOffice(db, scope.officeId))?.area ?? {}) : null;
    const rows = seasonalRowsInArea(await seasonalReport(db, { ...query, timezone }), area);
    return reply.send({ from: query.from, to: query.to, by: query.by, timezone, exercise: query.exercise, rows });
  });

  app.get('/api/exports/alerts.csv', async (request, reply) => {
    const scope = await scopeOf(request, reply);
    if (!scope) return reply;
    const query = parsed(exportQuery, request.query, reply);
    if (!query) return reply;
    const csv = Readable.from(alertsCsv(alertsOfOffice(exportAlerts(db, { ...query, timezone }), scope.officeId), { hxl: query.hxl }));
    // A failure after the first bytes cannot become a 4xx any more: it ends the download and is logged.
    csv.on('error', (error) => request.log.error({ err: error.message }, 'alerts export failed'));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="alerts-${query.from}-${query.to}.csv"`)
      .send(csv);
  });
}
