import type { FastifyInstance, FastifyRequest } from 'fastify';
import { officeNames, placedAlertsSince } from '../../db/board.js';
import { boundariesFor } from '../boundaries.js';
import type { WebDeps } from '../deps.js';
import { viewerFrame } from '../frame.js';
import { mapPage } from '../pages/map.js';
import { requireViewer } from '../session.js';

/** `/map?days=`: office areas and the alerts of the last days (30 by default), from the bundled boundaries. */
export function registerMapRoute(app: FastifyInstance, deps: WebDeps): void {
  app.get('/map', async (request: FastifyRequest<{ Querystring: { days?: string } }>, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const asked = Number(request.query.days);
    const days = Number.isInteger(asked) && asked >= 1 && asked <= 365 ? asked : 30;
    const [offices, alerts, frame] = await Promise.all([
      officeNames(deps.db),
      placedAlertsSince(deps.db, { since: new Date(Date.now() - days * 86_400_000), officeId: viewer.officeId ?? undefined }),
      viewerFrame(deps, viewer, request, 'map.title'),
    ]);
    const shown = viewer.officeId ? offices.filter((o) => o.id === viewer.officeId) : offices;
    return reply.type('text/html; charset=utf-8').send(mapPage(frame, { boundaries: boundariesFor(offices), offices: shown, alerts, days }));
  });
}
