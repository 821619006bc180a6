import type { BoardAlert } from '../../db/board.js';
import { openStatuses } from '../../domain/lifecycle.js';
import { threatTypes } from '../../domain/taxonomy.js';
import { deadlineText, duration } from '../format.js';
import { html, type Html, type PageText } from '../html.js';
import { page, type PageFrame } from '../layout.js';

/** The board's filters, as in the query string. */
export interface BoardQuery {
  office?: string;
  type?: string;
  status?: string;
  period?: string;
}

export const boardPeriods = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;

/** The lines of the board (also the fragment the page polls). */
export function boardRows(t: PageText, alerts: readonly BoardAlert[], now: Date): Html {
  const label = (key: string) => t(`board.col.${key}`);
  return html`<p class="small" id="board-count">${t('board.count', { count: alerts.length })}</p>
  <div class="scroll"><table class="rows"><caption class="small">${t('board.caption')}</caption><thead><tr>
    ${['ref', 'severity', 'type', 'place', 'office', 'status', 'age', 'deadline', 'level', 'holder'].map((k) => html`<th scope="col">${label(k)}</th>`)}
  </tr></thead><tbody>
  ${alerts.map((a) => {
    const deadline = deadlineText(t, a.ackDeadline, now);
    return html`<tr>
      <td data-label="${label('ref')}"><a href="/alerts/${a.ref}">${a.ref}</a></td>
      <td data-label="${label('severity')}">${a.severity ? html`<span class="sev sev-${a.severity}">${t(`common:severity.${a.severity}`)}</span>` : '—'}</td>
      <td data-label="${label('type')}">${a.threatType ? t(`common:threat.${a.threatType}`) : t('common:unclassified')}${
        a.otherThreatTypes.length
          ? html`<span class="small"> · ${t('alert.also')} ${a.otherThreatTypes.map((o) => t(`common:threat.${o}`)).join(', ')}</span>`
          : ''
      }</td>
      <td data-label="${label('place')}">${a.place ?? t('common:unknownPlace')}${a.admin1 && a.admin1 !== a.place ? html`<span class="small"> (${a.admin1})</span>` : ''}</td>
      <td data-label="${label('office')}">${a.officeName ?? '—'}</td>
      <td data-label="${label('status')}">${t(`common:status.${a.status}`)}</td>
      <td data-label="${label('age')}">${duration(now.getTime() - a.createdAt.getTime())}</td>
      <td data-label="${label('deadline')}"${deadline.late ? html` class="late"` : ''}>${deadline.text}</td>
      <td data-label="${label('level')}">${a.escalationLevel}</td>
      <td data-label="${label('holder')}">${a.holder ?? '—'}</td></tr>`;
  })}
  </tbody></table></div>`;
}

function select(id: string, label: string, value: string | undefined, options: [string, string][]): Html {
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${id}">
    ${options.map(([v, text]) => html`<option value="${v}"${v === (value ?? '') ? html` selected` : ''}>${text}</option>`)}</select></div>`;
}

/** The live board: filters (kept in the query string) and the open alerts, refreshed every few seconds. */
export function boardPage(
  frame: PageFrame,
  data: { query: BoardQuery; offices: { id: string; name: string }[] | null; alerts: readonly BoardAlert[]; now: Date },
): string {
  const { t } = frame;
  const q = data.query;
  return page(
    frame,
    html`<h1>${t('board.title')}</h1>
    <form method="get" action="/" class="filters no-print" aria-label="${t('board.filters')}">
      ${data.offices ? select('office', t('board.office'), q.office, [['', t('board.all')], ...data.offices.map((o): [string, string] => [o.id, o.name])]) : ''}
      ${select('type', t('board.type'), q.type, [['', t('board.all')], ...threatTypes.map((x): [string, string] => [x, t(`common:threat.${x}`)])])}
      ${select('status', t('board.status'), q.status, [['', t('board.allOpen')], ...openStatuses.map((s): [string, string] => [s, t(`common:status.${s}`)])])}
      ${select('period', t('board.period'), q.period, [['', t('board.anyTime')], ...Object.keys(boardPeriods).map((p): [string, string] => [p, t(`board.periods.${p}`)])])}
      <div><button>${t('board.apply')}</button></div>
    </form>
    <section id="board" aria-labelledby="board-count">${boardRows(t, data.alerts, data.now)}</section>`,
  );
}

/**
 * A few lines of vanilla JavaScript: every 3 seconds the board's lines are fetched again with the
 * page's own query string and replaced when they changed; a signed-out session reloads to the sign-in page.
 */
export const boardScript = `(function(){var box=document.getElementById('board');var last=null;
setInterval(function(){fetch('/board/rows'+location.search,{credentials:'same-origin'}).then(function(r){if(r.status===401){location.reload();return null}return r.ok?r.text():null}).then(function(h){if(h&&h!==last){last=h;box.innerHTML=h}}).catch(function(){})},3000)})();`;
