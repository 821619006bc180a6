import type { FastifyInstance, FastifyRequest } from 'fastify';
import { officeNames } from '../../db/board.js';
import { seasonalReport } from '../../db/seasonal-report.js';
import { responseDefinitions } from '../../reports/definitions.js';
import { firstProblem, responseQuery, seasonalQuery } from '../../reports/params.js';
import { scopedResponseReport, seasonalRowsInArea } from '../../reports/scoped.js';
import type { WebDeps } from '../deps.js';
import { percent, seconds } from '../format.js';
import { viewerFrame } from '../frame.js';
import { reportPage } from '../pages/report.js';
import { seasonalPage } from '../pages/seasonal.js';
import { requireViewer } from '../session.js';

/** Today's date in the mission's time zone, and that date moved by whole months (day 1) or days. */
export function missionDate(timezone: string, now = new Date(), { months = 0, days = 0, firstOfMonth = false } = {}): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone }).format(now);
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, firstOfMonth ? 1 : d + days));
  return date.toISOString().slice(0, 10);
}

type Query = Record<string, string | undefined>;

/** `/report` (the response report) and `/seasonal` (places × months of the year). */
export function registerReportPages(app: FastifyInstance, deps: WebDeps): void {
  app.get('/report', async (request: FastifyRequest<{ Querystring: Query }>, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const q = request.query;
    const defaults = {
      from: missionDate(deps.timezone, new Date(), { months: -5, firstOfMonth: true }),
      to: missionDate(deps.timezone, new Date(), { days: 1 }),
      by: 'office',
    };
    let parsed = responseQuery.safeParse({ from: q.from || defaults.from, to: q.to || defaults.to, by: q.by || defaults.by });
    const problem = parsed.success ? null : firstProblem(parsed.error);
    if (!parsed.success) parsed = responseQuery.safeParse(defaults);
    const query = parsed.data!;
    const period = { from: query.from, to: query.to, timezone: deps.timezone };
    const [report, byOffice, byMonth, offices, frame] = await Promise.all([
      scopedResponseReport(deps.db, { ...period, by: query.by }, viewer.officeId),
      scopedResponseReport(deps.db, { ...period, by: ['office'] }, viewer.officeId),
      scopedResponseReport(deps.db, { ...period, by: ['month'] }, viewer.officeId),
      officeNames(deps.db),
      viewerFrame(deps, viewer, request, 'report.title'),
    ]);
    const names = new Map(offices.map((o) => [o.id, o.name]));
    const html = reportPage(frame, {
      ...query,
      ...report,
      inTimeByOffice: byOffice.rows.map((r) => ({
        label: names.get(r.office ?? '') ?? r.office ?? '—',
        value: r.inTimeRate ?? 0,
        text: percent(r.inTimeRate),
      })),
      ackByMonth: byMonth.rows.map((r) => ({
        label: r.month ?? '—',
        value: r.medianTimeToAcknowledge ?? 0,
        text: seconds(r.medianTimeToAcknowledge),
      })),
      scope: viewer.officeId,
      officeNames: names,
      definitions: responseDefinitions,
      problem,
    });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get('/seasonal', async (request: FastifyRequest<{ Querystring: Query }>, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const q = request.query;
    const defaults = {
      from: missionDate(deps.timezone, new Date(), { months: -36, firstOfMonth: true }),
      to: missionDate(deps.timezone, new Date(), { days: 1 }),
      by: 'admin1',
    };
    let parsed = seasonalQuery.safeParse({ from: q.from || defaults.from, to: q.to || defaults.to, by: q.by || defaults.by });
    if (!parsed.success) parsed = seasonalQuery.safeParse(defaults);
    const query = parsed.data!;
    const [rows, offices, frame] = await Promise.all([
      seasonalReport(deps.db, { ...query, timezone: deps.timezone }),
      officeNames(deps.db),
      viewerFrame(deps, viewer, request, 'seasonal.title'),
    ]);
    const area = viewer.officeId ? (offices.find((o) => o.id === viewer.officeId)?.area ?? {}) : null;
    return reply.type('text/html; charset=utf-8').send(seasonalPage(frame, { ...query, rows: seasonalRowsInArea(rows, area) }));
  });
}
