import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { boardAlerts, officeNames } from '../../db/board.js';
import { openStatuses } from '../../domain/lifecycle.js';
import { threatTypes } from '../../domain/taxonomy.js';
import type { WebDeps } from '../deps.js';
import { viewerFrame } from '../frame.js';
import { boardPage, boardPeriods, boardRows, boardScript, type BoardQuery } from '../pages/board.js';
import { requireViewer, type Viewer } from '../session.js';

/** The board's query string; a value that means nothing is ignored (the filter is off). */
const boardQuery = z.object({
  office: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/)
    .optional()
    .catch(undefined),
  type: z.enum(threatTypes).optional().catch(undefined),
  status: z
    .enum(openStatuses as readonly string[] as [string, ...string[]])
    .optional()
    .catch(undefined),
  period: z
    .enum(Object.keys(boardPeriods) as [keyof typeof boardPeriods])
    .optional()
    .catch(undefined),
});

async function boardData(deps: WebDeps, viewer: Viewer, request: FastifyRequest) {
  const query: BoardQuery = boardQuery.parse(request.query ?? {});
  const now = new Date();
  const alerts = await boardAlerts(deps.db, {
    // Someone who sees one office sees only it, whatever the query says.
    officeId: viewer.officeId ?? query.office,
    threatType: query.type,
    status: query.status ? [query.status] : openStatuses,
    since: query.period ? new Date(now.getTime() - boardPeriods[query.period as keyof typeof boardPeriods]) : undefined,
  });
  return { query, alerts, now };
}

/** `/`: the live board; `/board/rows`: its lines, which the page fetches every few seconds. */
export function registerBoardRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const [data, offices, frame] = await Promise.all([
      boardData(deps, viewer, request),
      viewer.officeId ? null : officeNames(deps.db),
      viewerFrame(deps, viewer, request, 'board.title', boardScript),
    ]);
    return reply.type('text/html; charset=utf-8').send(boardPage(frame, { ...data, offices }));
  });

  app.get('/board/rows', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply, { redirect: false, touch: false });
    if (!viewer) return reply;
    const data = await boardData(deps, viewer, request);
    const rows = boardRows(viewer.t, data.alerts, data.now).value;
    // Unchanged lines (most polls: ages move once a minute) cost a 304 and no body on a slow link.
    const etag = `"${createHash('sha256').update(rows).digest('base64url').slice(0, 22)}"`;
    reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(rows);
  });
}
