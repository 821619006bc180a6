import type { AlertEventRow, AlertRow } from '../../db/alerts.js';
import type { ConversationTurn } from '../../db/alert-page.js';
import type { PlaceRow } from '../../db/places.js';
import { outcomeIds, type OutcomeId } from '../../domain/taxonomy.js';
import { dateTime } from '../format.js';
import { html, type Html, type PageText } from '../html.js';
import { page, type PageFrame } from '../layout.js';
import { correctionForm } from './alert-correct.js';

/** Everything the alert page shows; names of officers by id, the reporter by pseudonym only. */
export interface AlertPageData {
  alert: AlertRow;
  place: PlaceRow | null;
  officeName: string | null;
  reporter: string | null;
  officerNames: Map<string, string>;
  events: AlertEventRow[];
  conversation: ConversationTurn[];
  outcomes: OutcomeId[];
  duplicateOf: string | null;
  /** The reporter's earlier alert this one was split from as another incident, and how many reports tell of it. */
  incident: { linkedTo: string | null; corroboration: { reports: number; reporters: number } };
  timezone: string;
  /** Null for an administrator signed in with the token: no forms. */
  canAct: boolean;
  /** The deployment's active offices, for the correction form. */
  offices: { id: string; name: string }[];
  notice?: { text: string; error: boolean };
}

const knownEvents = new Set([
  'created',
  'classified',
  'routed',
  'notified',
  'notification_sent',
  'notification_failed',
  'acknowledged',
  'responding',
  'resolved',
  'dismissed',
  'escalated',
  'escalation_requested',
  'reply_bridged',
  'outcome_recorded',
  'note_added',
  'action_refused',
  'corrected',
  'message_sent',
  'rerouted',
  'reporter_message',
  'escalation_exhausted',
  'deadline_changed',
  'send_retry',
  'linked',
  'report_added',
  'report_split',
]);

function actorName(t: PageText, actor: string | null, names: Map<string, string>, reporter: string | null): string {
  if (!actor || actor === 'system') return t('alert.actor.system');
  if (actor.startsWith('officer:')) return names.get(actor.slice(8)) ?? actor.slice(8);
  if (actor.startsWith('reporter:')) return reporter ?? t('alert.actor.reporter');
  return actor;
}

function eventDetail(t: PageText, event: AlertEventRow): string {
  const d = event.data;
  const parts: string[] = [];
  if (event.fromStatus && event.toStatus && event.fromStatus !== event.toStatus)
    parts.push(`${t(`common:status.${event.fromStatus}`)} → ${t(`common:status.${event.toStatus}`)}`);
  if (Array.isArray(d.outcomes)) parts.push((d.outcomes as string[]).map((o) => t(`common:outcome.${o}`)).join(', '));
  if (typeof d.duplicateOf === 'string') parts.push(`${t('alert.duplicateOf')} ${d.duplicateOf}`);
  for (const key of ['linkedTo', 'linkedFrom', 'splitInto', 'splitFrom'] as const) if (typeof d[key] === 'string') parts.push(`→ ${d[key]}`);
  if (event.type === 'report_added' && typeof d.text === 'string') parts.push(`“${d.text}”`);
  if (event.type === 'escalated' && typeof d.level === 'number') parts.push(`${t('alert.level')} ${d.level}`);
  if (typeof d.note === 'string') parts.push(`“${d.note}”`);
  if (event.type === 'reply_bridged' && typeof d.text === 'string') parts.push(`“${d.text}”`);
  const place = d.place as { name?: unknown } | undefined;
  if (event.type === 'place_removed' && typeof place?.name === 'string') parts.push(`${place.name} (${String(d.source)})`);
  return parts.join(' · ');
}

function card(t: PageText, data: AlertPageData, lang: string): Html {
  const a = data.alert;
  const row = (label: string, value: unknown) => html`<dt>${t(label)}</dt><dd>${value}</dd>`;
  return html`<section class="card" id="alert-card" aria-labelledby="card-title"><h2 id="card-title">${t('alert.card')}</h2><dl>
    ${row('alert.severity', a.severity ? html`<span class="sev sev-${a.severity}">${t(`common:severity.${a.severity}`)}</span>` : '—')}
    ${row('alert.type', a.threatType ? t(`common:threat.${a.threatType}`) : t('common:unclassified'))}
    ${a.otherThreatTypes.length ? row('alert.otherTypes', a.otherThreatTypes.map((o) => t(`common:threat.${o}`)).join(', ')) : ''}
    ${row('alert.urgency', a.urgency ? t(`common:urgency.${a.urgency}`) : '—')}
    ${row('alert.place', data.place ? [...new Set([data.place.name, data.place.admin2, data.place.admin1].filter(Boolean))].join(', ') : t('common:unknownPlace'))}
    ${row('alert.office', data.officeName ?? '—')}
    ${row('alert.status', t(`common:status.${a.status}`))}
    ${row('alert.level', a.escalationLevel)}
    ${row('alert.holder', a.acknowledgedBy ? (data.officerNames.get(a.acknowledgedBy) ?? a.acknowledgedBy) : '—')}
    ${row('alert.reporter', data.reporter ?? '—')}
    ${row('alert.received', dateTime(a.createdAt, lang, data.timezone))}
    ${a.ackDeadline ? row('alert.deadline', dateTime(a.ackDeadline, lang, data.timezone)) : ''}
    ${data.outcomes.length ? row('alert.outcomes', data.outcomes.map((o) => t(`common:outcome.${o}`)).join(', ')) : ''}
    ${data.duplicateOf ? row('alert.duplicateOf', html`<a href="/alerts/${data.duplicateOf}">${data.duplicateOf}</a>`) : ''}
    ${data.incident.corroboration.reports > 1 ? row('alert.reports', t('alert.reportsFrom', data.incident.corroboration)) : ''}
    ${data.incident.linkedTo ? row('alert.linkedTo', html`<a href="/alerts/${data.incident.linkedTo}">${data.incident.linkedTo}</a>`) : ''}
    ${row('alert.message', html`<q>${a.text}</q>`)}
  </dl></section>`;
}

function actionForm(csrf: string, ref: string, action: string, body: Html | string, label: string, aria?: string): Html {
  return html`<form method="post" action="/alerts/${ref}/${action}"${aria ? html` aria-label="${aria}"` : ''}><input type="hidden" name="_csrf" value="${csrf}">${body}<button>${label}</button></form>`;
}

function actions(t: PageText, data: AlertPageData, csrf: string): Html {
  const { ref, status } = data.alert;
  const open = !['resolved', 'dismissed'].includes(status);
  const note = (id: string) => html`<label for="${id}">${t('alert.note')}</label><textarea id="${id}" name="note" rows="2" cols="40"></textarea>`;
  const outcomes = html`<fieldset><legend>${t('alert.outcomesLegend')}</legend>${outcomeIds.map(
    (o) =>
      html`<label><input type="checkbox" name="outcome" value="${o}"${data.outcomes.includes(o) ? html` checked` : ''}> ${t(`common:outcome.${o}`)}</label>`,
  )}</fieldset>`;
  return html`<section class="card actions no-print" aria-labelledby="actions-title"><h2 id="actions-title">${t('alert.actions')}</h2>
    ${['new', 'notified'].includes(status) ? actionForm(csrf, ref, 'acknowledge', '', t('alert.acknowledge')) : ''}
    ${['new', 'notified', 'acknowledged'].includes(status) ? actionForm(csrf, ref, 'responding', '', t('alert.responding')) : ''}
    ${status === 'notified' ? actionForm(csrf, ref, 'escalate', '', t('alert.escalate')) : ''}
    ${
      status !== 'dismissed'
        ? html`<h3>${t(open ? 'alert.resolveTitle' : 'alert.recordOutcomes')}</h3>${actionForm(csrf, ref, 'resolve', html`${outcomes}${note('resolve-note')}<br>`, t(open ? 'alert.resolve' : 'alert.recordOutcomes'), t(open ? 'alert.resolveTitle' : 'alert.recordOutcomes'))}`
        : ''
    }
    ${
      open
        ? html`<h3>${t('alert.dismissTitle')}</h3>${actionForm(csrf, ref, 'dismiss', html`<label for="duplicate">${t('alert.duplicateRef')}</label><input id="duplicate" name="duplicateOf" size="8" autocomplete="off"> `, t('alert.dismiss'), t('alert.dismissTitle'))}`
        : ''
    }
    ${
      data.reporter
        ? html`<h3>${t('alert.replyTitle')}</h3>${actionForm(csrf, ref, 'reply', html`<label for="reply-text">${t('alert.replyText', { pseudonym: data.reporter })}</label><textarea id="reply-text" name="text" rows="2" cols="40" required maxlength="600"></textarea><br>`, t('alert.reply'), t('alert.replyTitle'))}`
        : ''
    }
    ${open ? correctionForm(t, data.alert, data.offices, csrf) : ''}
    <h3>${t('alert.noteText')}</h3>${actionForm(csrf, ref, 'note', html`<label for="note-text">${t('alert.noteText')}</label><textarea id="note-text" name="text" rows="2" cols="40" required maxlength="2000"></textarea><br>`, t('alert.addNote'), t('alert.noteText'))}
  </section>`;
}

/** What the alert page refreshes by itself (`/alerts/:ref/live`): card, conversation, timeline, each by its id. */
export function alertLive(t: PageText, lang: string, data: AlertPageData): { card: Html; talk: Html; timeline: Html } {
  const when = (at: Date) => html`<time datetime="${at.toISOString()}">${dateTime(at, lang, data.timezone)}</time>`;
  const name = (actor: string | null) => actorName(t, actor, data.officerNames, data.reporter);
  return {
    card: card(t, data, lang),
    talk: html`<section class="card" id="alert-talk" aria-labelledby="talk-title"><h2 id="talk-title">${t('alert.conversation')}</h2>
      ${
        data.conversation.length
          ? html`<ol class="talk">${data.conversation.map((turn) => html`<li class="${turn.from}">${when(turn.at)} · <strong>${turn.from === 'reporter' ? (data.reporter ?? t('alert.actor.reporter')) : name(turn.actor)}</strong>: ${turn.text}</li>`)}</ol>`
          : html`<p>${t('alert.noConversation')}</p>`
      }</section>`,
    timeline: html`<section class="card" id="alert-timeline" aria-labelledby="timeline-title"><h2 id="timeline-title">${t('alert.timeline')}</h2><ol class="timeline">
      ${data.events.map((e) => html`<li>${when(e.at)} · <strong>${knownEvents.has(e.type) ? t(`event.${e.type}`) : e.type}</strong> · ${name(e.actor)}${eventDetail(t, e) ? ` · ${eventDetail(t, e)}` : ''}</li>`)}
    </ol></section>`,
  };
}

/** The alert page: card, conversation with the reporter (pseudonym only), actions, full timeline. */
export function alertPage(frame: PageFrame, data: AlertPageData): string {
  const { t, lang } = frame;
  const live = alertLive(t, lang, data);
  return page(
    frame,
    html`<h1>${t('alert.title', { ref: data.alert.ref })}</h1>
    ${data.notice ? html`<p class="notice${data.notice.error ? ' error' : ''}" role="${data.notice.error ? 'alert' : 'status'}">${data.notice.text}</p>` : ''}
    <div class="grid"><div>${live.card}${live.talk}</div>
    <div>${data.canAct ? actions(t, data, frame.user?.csrf ?? '') : html`<p class="notice">${t('alert.adminNoAction')}</p>`}</div></div>
    ${live.timeline}`,
  );
}
