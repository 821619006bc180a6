import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getAlertByRef, type AlertRow } from '../../db/alerts.js';
import { alertTimeline } from '../../db/alert-lists.js';
import { alertConversation } from '../../db/alert-page.js';
import { getFocalPoint } from '../../db/focal-points.js';
import { activeOffices, findOfficers, getOffice, getOfficer, type OfficerRow } from '../../db/offices.js';
import { outcomeOfTimeline } from '../../db/outcomes.js';
import { getPlace } from '../../db/places.js';
import { isAlertReference, normaliseReference } from '../../domain/lifecycle.js';
import { outcomeIds, severities, threatTypes, type OutcomeId, type Severity, type ThreatType } from '../../domain/taxonomy.js';
import { correctAlert, type CorrectionRequest } from '../../workflows/officers/corrections.js';
import { correctionReply } from '../../workflows/officers/correction-replies.js';
import { actOnAlert } from '../../workflows/officers/actions.js';
import { actionReply } from '../../workflows/officers/messages.js';
import { addNote, recordOutcomes, type OutcomeChange } from '../../workflows/officers/outcomes.js';
import { bridgeToReporter, type BridgeOutcome } from '../../workflows/reporters/bridge.js';
import type { WebDeps } from '../deps.js';
import { viewerFrame } from '../frame.js';
import { html } from '../html.js';
import { messagePage } from '../layout.js';
import { alertLive, alertPage, type AlertPageData } from '../pages/alert.js';
import { alertScript } from '../pages/alert-correct.js';
import { csrfMatches, requireViewer, sees, type Viewer } from '../session.js';
import { incidentFieldsOf } from '../../db/incidents.js';

type Form = Record<string, string | string[] | undefined>;
const field = (form: Form, key: string) => (typeof form[key] === 'string' ? (form[key] as string).trim() : '');
const list = (form: Form, key: string) => [form[key] ?? []].flat();

/** What each action says once done (the officer's reply texts, as in Telegram). */
const doneText: Record<string, string> = {
  acknowledge: 'officer:reply.acknowledged',
  responding: 'officer:reply.responding',
  resolve: 'officer:reply.resolved',
  dismiss: 'officer:reply.dismissed',
  note: 'officer:reply.noteAdded',
  reply: 'officer:conversation.bridged',
  escalate: 'officer:reply.escalated',
};
const webActions = [...Object.keys(doneText), 'correct'];

/** What the alert page shows, gathered through src/db/. */
async function alertData(deps: WebDeps, viewer: Viewer, alert: AlertRow, notice?: { text: string; error: boolean }): Promise<AlertPageData> {
  const [place, office, reporter, events, conversation, offices] = await Promise.all([
    alert.placeId ? getPlace(deps.db, alert.placeId) : null,
    alert.officeId ? getOffice(deps.db, alert.officeId) : null,
    alert.focalPointId ? getFocalPoint(deps.db, alert.focalPointId) : null,
    alertTimeline(deps.db, alert.id),
    alertConversation(deps.db, alert.id),
    viewer.session.officerId ? activeOffices(deps.db) : [],
  ]);
  const incident = (await incidentFieldsOf(deps.db, [alert])).get(alert.id)!;
  const ids = [
    ...new Set(
      [...events.map((e) => e.actor), ...conversation.map((c) => c.actor ?? '')].filter((a) => a.startsWith('officer:')).map((a) => a.slice(8)),
    ),
  ];
  if (alert.acknowledgedBy) ids.push(alert.acknowledgedBy);
  const officers = ids.length ? await findOfficers(deps.db, { ids }) : [];
  return {
    alert,
    place,
    officeName: office?.name ?? null,
    reporter: reporter?.pseudonym ?? null,
    officerNames: new Map(officers.map((o) => [o.id, o.name])),
    events,
    conversation,
    ...outcomeOfTimeline(events),
    incident,
    timezone: deps.timezone,
    canAct: viewer.session.officerId !== null,
    offices: offices.map((o) => ({ id: o.id, name: o.name })),
    notice,
  };
}

async function renderAlert(
  deps: WebDeps,
  viewer: Viewer,
  request: FastifyRequest,
  reply: FastifyReply,
  alert: AlertRow,
  notice?: { text: string; error: boolean },
  status = 200,
) {
  const [frame, data] = await Promise.all([viewerFrame(deps, viewer, request, 'alert.card', alertScript), alertData(deps, viewer, alert, notice)]);
  frame.title = viewer.t('alert.title', { ref: alert.ref });
  const html = alertPage(frame, data);
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** Runs one form's action with the same function as the Telegram button or SMS command. */
async function act(deps: WebDeps, officer: OfficerRow, ref: string, action: string, form: Form): Promise<OutcomeChange | BridgeOutcome> {
  const alert = { ref };
  const note = field(form, 'note') ? { note: field(form, 'note') } : {};
  switch (action) {
    case 'resolve': {
      const outcomes = list(form, 'outcome').filter((o): o is OutcomeId => (outcomeIds as readonly string[]).includes(o));
      if (outcomes.length) return recordOutcomes(deps.workflow, { alert, officerId: officer.id, set: outcomes, ...note });
      return actOnAlert(deps.workflow, { alert, officerId: officer.id, action: 'resolve', ...note });
    }
    case 'dismiss': {
      const duplicate = normaliseReference(field(form, 'duplicateOf'));
      return actOnAlert(deps.workflow, {
        alert,
        officerId: officer.id,
        action: 'dismiss',
        ...(duplicate ? { duplicateOf: duplicate } : {}),
        ...note,
      });
    }
    case 'reply':
      return bridgeToReporter(deps.workflow, { alert, officerId: officer.id, text: field(form, 'text') });
    case 'escalate':
      return actOnAlert(deps.workflow, { alert, officerId: officer.id, action: 'escalate' });
    case 'note':
      return addNote(deps.workflow, { alert, officerId: officer.id, text: field(form, 'text') });
    default:
      return actOnAlert(deps.workflow, { alert, officerId: officer.id, action: action as 'acknowledge' | 'responding' });
  }
}

/**
 * The correction form, as the SMS `TYPE`/`GRAVITE`/`LIEU`/`BUREAU` commands (and the other types): only what differs from the alert
 * is passed to `correctAlert` (so a new place alone re-routes to the place's office, as `LIEU` does),
 * and the answer is the SMS answer. An alert moved out of the officer's offices gets a short page.
 */
async function correct(
  deps: WebDeps,
  viewer: Viewer,
  request: FastifyRequest,
  reply: FastifyReply,
  officer: OfficerRow,
  alert: AlertRow,
  form: Form,
) {
  const type = field(form, 'threatType');
  const office = field(form, 'office');
  const place = field(form, 'place');
  const severity = field(form, 'severity');
  const others = list(form, 'otherThreatType').filter((o): o is ThreatType => (threatTypes as readonly string[]).includes(o));
  const othersChanged = others.length !== alert.otherThreatTypes.length || others.some((o) => !alert.otherThreatTypes.includes(o));
  const wanted: Pick<CorrectionRequest, 'threatType' | 'otherThreatTypes' | 'severity' | 'placeName' | 'officeId'> = {
    ...((threatTypes as readonly string[]).includes(type) && type !== alert.threatType ? { threatType: type as ThreatType } : {}),
    ...(field(form, 'otherTypesShown') && othersChanged ? { otherThreatTypes: others } : {}),
    ...((severities as readonly string[]).includes(severity) && severity !== alert.severity ? { severity: severity as Severity } : {}),
    ...(place ? { placeName: place } : {}),
    ...(office && office !== alert.officeId ? { officeId: office } : {}),
  };
  const result = await correctAlert(deps.workflow, { alert: { ref: alert.ref }, officerId: officer.id, ...wanted });
  const text = await correctionReply(deps.workflow, officer, alert.ref, result);
  const current = (await getAlertByRef(deps.db, alert.ref)) ?? alert;
  const status = result.outcome === 'not_allowed' ? 403 : result.outcome === 'done' || result.outcome === 'unchanged' ? 200 : 422;
  if (!sees(viewer, current.officeId)) {
    const frame = await viewerFrame(deps, viewer, request, 'alert.movedTitle');
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(messagePage(frame, frame.title, [html`<span role="status">${text}</span>`, html`<a href="/">${viewer.t('alert.backToBoard')}</a>`]));
  }
  return renderAlert(deps, viewer, request, reply, current, { text, error: status !== 200 }, status);
}

/**
 * `/alerts/:ref`: the alert page, for those who see its office (404 for anyone else); and its
 * actions as forms, `POST /alerts/:ref/<action>`, refused with 403 (nothing changed) outside the office.
 */
export function registerAlertRoutes(app: FastifyInstance, deps: WebDeps): void {
  const missing = async (viewer: Viewer, request: FastifyRequest, reply: FastifyReply, ref: string, status: 404 | 403) => {
    const frame = await viewerFrame(deps, viewer, request, status === 404 ? 'alert.notFound' : 'alert.forbidden');
    const key = status === 404 ? 'alert.notFoundText' : 'alert.forbiddenText';
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(messagePage(frame, frame.title, [viewer.t(key, { ref })]));
  };

  app.get<{ Params: { ref: string }; Querystring: { done?: string } }>('/alerts/:ref', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const ref = normaliseReference(request.params.ref);
    const alert = isAlertReference(ref) ? await getAlertByRef(deps.db, ref) : null;
    if (!alert || !sees(viewer, alert.officeId)) return missing(viewer, request, reply, ref, 404);
    const done = request.query.done;
    const pseudonym = done === 'reply' && alert.focalPointId ? (await getFocalPoint(deps.db, alert.focalPointId))?.pseudonym : undefined;
    const doneKey = done && Object.hasOwn(doneText, done) ? doneText[done] : undefined;
    const notice = doneKey ? { text: deps.t(viewer.lang, doneKey, { ref, pseudonym }), error: false } : undefined;
    return renderAlert(deps, viewer, request, reply, alert, notice);
  });

  app.get<{ Params: { ref: string } }>('/alerts/:ref/live', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply, { redirect: false, touch: false });
    if (!viewer) return reply;
    const ref = normaliseReference(request.params.ref);
    const alert = isAlertReference(ref) ? await getAlertByRef(deps.db, ref) : null;
    if (!alert || !sees(viewer, alert.officeId)) return reply.code(404).send();
    const live = alertLive(viewer.t, viewer.lang, await alertData(deps, viewer, alert));
    const body = `${live.card.value}${live.talk.value}${live.timeline.value}`;
    // Unchanged (most polls) costs a 304 and no body on a slow link.
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(body);
  });

  app.post<{ Params: { ref: string; action: string }; Body: Form }>('/alerts/:ref/:action', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const ref = normaliseReference(request.params.ref);
    const { action } = request.params;
    if (!csrfMatches(viewer, request.body ?? {})) return reply.code(403).type('text/plain; charset=utf-8').send(viewer.t('alert.formExpired'));
    const alert = isAlertReference(ref) ? await getAlertByRef(deps.db, ref) : null;
    if (!alert || !webActions.includes(action)) return missing(viewer, request, reply, ref, 404);
    const officer = viewer.session.officerId ? await getOfficer(deps.db, viewer.session.officerId) : null;
    if (!officer) return reply.code(403).type('text/plain; charset=utf-8').send(viewer.t('alert.adminNoAction'));
    if (!sees(viewer, alert.officeId)) {
      deps.log.warn({ officer: viewer.session.officerId, alert: ref, action }, 'operations room: refused action outside the viewer’s offices');
      return missing(viewer, request, reply, ref, 403);
    }
    if (action === 'correct') return correct(deps, viewer, request, reply, officer, alert, request.body ?? {});
    const result = await act(deps, officer, ref, action, request.body ?? {});
    if (result.outcome === 'done' || result.outcome === 'recorded' || result.outcome === 'bridged')
      return reply.redirect(`/alerts/${ref}?done=${action}`, 303);
    const text = actionReply(deps.workflow, officer, ref, result);
    const current = (await getAlertByRef(deps.db, ref)) ?? alert;
    const status = result.outcome === 'not_allowed' ? 403 : result.outcome === 'too_long' ? 422 : 409;
    return renderAlert(deps, viewer, request, reply, current, { text, error: true }, status);
  });
}
