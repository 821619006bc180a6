import type { ResponseFigures, ResponseGrouping, ResponseRow } from '../../db/response-report.js';
import { responseGroupings } from '../../db/response-report.js';
import { outcomeIds } from '../../domain/taxonomy.js';
import { percent, seconds } from '../format.js';
import { html, type Html, type PageText } from '../html.js';
import { page, type PageFrame } from '../layout.js';
import { barChart, columnChart, type Bar } from './charts.js';

/** What the response report page shows. */
export interface ReportPageData {
  from: string;
  to: string;
  by: readonly ResponseGrouping[];
  rows: ResponseRow[];
  total: ResponseFigures;
  /** Share acknowledged in time, per office. */
  inTimeByOffice: Bar[];
  /** Median time to acknowledge, per month. */
  ackByMonth: Bar[];
  /** The office seen, or null for every office. */
  scope: string | null;
  officeNames: Map<string, string>;
  definitions: Record<string, string>;
  /** Why the query string was not used (the defaults are shown instead). */
  problem: string | null;
}

type Figure = keyof Omit<ResponseFigures, 'outcomes'>;
const counts: Figure[] = [
  'received',
  'acknowledged',
  'acknowledgedInTime',
  'escalated',
  'repliedToReporter',
  'responding',
  'closed',
  'withOutcome',
  'open',
];
const rates: Figure[] = ['ackRate', 'inTimeRate'];
const times: Figure[] = [
  'medianTimeToNotify',
  'medianTimeToAcknowledge',
  'p90TimeToAcknowledge',
  'medianTimeToFirstReply',
  'medianTimeToRespond',
  'medianTimeToClose',
];
const columns: Figure[] = [
  'received',
  'acknowledged',
  'ackRate',
  'inTimeRate',
  'escalated',
  'repliedToReporter',
  'closed',
  'withOutcome',
  'open',
  'medianTimeToAcknowledge',
  'p90TimeToAcknowledge',
];

function value(figures: ResponseFigures, key: Figure): string {
  const v = figures[key] as number | null;
  if (rates.includes(key)) return percent(v);
  if (times.includes(key)) return seconds(v);
  return String(v);
}

function groupLabel(t: PageText, key: ResponseGrouping, v: string | null | undefined, offices: Map<string, string>): string {
  if (v === null || v === undefined) return '—';
  if (key === 'office') return offices.get(v) ?? v;
  if (key === 'type') return t(`common:threat.${v}`);
  if (key === 'severity') return t(`common:severity.${v}`);
  return v;
}

function totals(t: PageText, total: ResponseFigures): Html {
  const figure = (key: Figure) => html`<tr><th scope="row">${t(`report.fig.${key}`)}</th><td class="num">${value(total, key)}</td></tr>`;
  return html`<table class="figures"><caption>${t('report.total')}</caption><tbody>
    ${[...counts, ...rates, ...times].map(figure)}
    ${outcomeIds.map((o) => html`<tr><th scope="row">${t(`common:outcome.${o}`)}</th><td class="num">${total.outcomes[o]}</td></tr>`)}
  </tbody></table>`;
}

/** `/report`: the response figures with their definitions, two small charts, downloads; prints cleanly. */
export function reportPage(frame: PageFrame, data: ReportPageData): string {
  const { t } = frame;
  const period = `from=${data.from}&to=${data.to}`;
  return page(
    frame,
    html`<h1>${t('report.title')}</h1>
    <form method="get" action="/report" class="filters no-print">
      <div><label for="from">${t('report.from')}</label><input id="from" name="from" type="date" value="${data.from}" required></div>
      <div><label for="to">${t('report.to')}</label><input id="to" name="to" type="date" value="${data.to}" required></div>
      <div><label for="by">${t('report.by')}</label><select id="by" name="by">
        ${responseGroupings.map((g) => html`<option value="${g}"${data.by.includes(g) ? html` selected` : ''}>${t(`report.byOptions.${g}`)}</option>`)}</select></div>
      <div><button>${t('report.show')}</button></div>
    </form>
    ${data.problem ? html`<p class="notice error" role="alert">${data.problem}</p>` : ''}
    <p>${t('report.scope', { scope: data.scope ? (data.officeNames.get(data.scope) ?? data.scope) : t('report.everyOffice') })} ${data.from} → ${data.to}</p>
    <p class="no-print">${t('report.download')}: <a href="/api/exports/alerts.csv?${period}" download>${t('report.csv')}</a> · <a href="/api/exports/alerts.csv?${period}&hxl=1" download>${t('report.hxl')}</a></p>
    ${data.total.received === 0 ? html`<p class="notice">${t('report.noData')}</p>` : ''}
    <div class="grid"><div>${totals(t, data.total)}</div>
    <div><h2>${t('report.chartInTime')}</h2>${barChart('chart-in-time', t('report.chartInTime'), data.inTimeByOffice, 1)}
    <h2>${t('report.chartAck')}</h2>${columnChart('chart-ack', t('report.chartAck'), data.ackByMonth)}</div></div>
    <h2>${t('report.by')}: ${data.by.map((g) => t(`report.byOptions.${g}`)).join(', ')}</h2>
    <div class="scroll"><table class="rows"><thead><tr>
      ${data.by.map((g) => html`<th scope="col">${t(`report.byOptions.${g}`)}</th>`)}${columns.map((c) => html`<th scope="col" class="num">${t(`report.fig.${c}`)}</th>`)}
    </tr></thead><tbody>
      ${data.rows.map(
        (
          r,
        ) => html`<tr>${data.by.map((g) => html`<th scope="row" data-label="${t(`report.byOptions.${g}`)}">${groupLabel(t, g, r[g], data.officeNames)}</th>`)}
        ${columns.map((c) => html`<td class="num" data-label="${t(`report.fig.${c}`)}">${value(r, c)}</td>`)}</tr>`,
      )}
    </tbody></table></div>
    <h2>${t('report.definitions')}</h2>
    <dl class="small">${Object.entries(data.definitions).map(([k, v]) => html`<dt><code>${k}</code></dt><dd>${v}</dd>`)}</dl>`,
  );
}
