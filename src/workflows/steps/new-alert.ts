import type { AlertRow } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { Tx } from '../../db/index.js';
import type { WorkflowDeps } from '../deps.js';
import { classifyAlert } from './classify.js';
import { notifyAlert, type Notified } from './notify.js';
import { routeAlert } from './route.js';

/**
 * Classifies, routes and notifies a just-created alert inside the transaction that created it.
 *
 * The stages are the functions the classify, route and notify jobs run, and each writes its own
 * event, so the timeline reads the same either way; running them in one job and one transaction
 * saves three jobs and a dozen round trips per alert. The inbound step does this on a message's
 * first attempt only: if it fails, the retry creates the alert alone and the stages run as jobs of
 * their own, so a fault in one stage cannot keep a warning from becoming an alert.
 */
export async function classifyRouteNotify(tx: Tx, deps: WorkflowDeps, created: AlertRow, reporter: FocalPointRow | null): Promise<Notified> {
  const classified = await classifyAlert(tx, deps, created, reporter);
  const routed = await routeAlert(tx, deps, classified.alert, classified.place?.place ?? null);
  return notifyAlert(tx, deps, routed, { place: classified.place?.place ?? null, pseudonym: reporter?.pseudonym ?? null });
}
