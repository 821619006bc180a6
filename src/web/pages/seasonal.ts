import type { SeasonalRow } from '../../db/seasonal-report.js';
import { html } from '../html.js';
import { page, type PageFrame } from '../layout.js';

/** What the seasonal view shows: warnings per place and month of the year. */
export interface SeasonalPageData {
  from: string;
  to: string;
  by: 'admin1' | 'admin2';
  rows: SeasonalRow[];
}

const monthsOfYear = Array.from({ length: 12 }, (_, i) => i + 1);

/** A cell's shade: pale for few warnings, dark (with white text) for the most. */
function shade(count: number, max: number): string {
  if (count === 0) return '';
  const lightness = Math.round(94 - (60 * count) / max);
  return `background:hsl(205 70% ${lightness}%);color:${lightness < 60 ? '#fff' : '#1b1f24'}`;
}

/** `/seasonal`: places × months of the year as a heat table ("the same areas at the same times of the year"). */
export function seasonalPage(frame: PageFrame, data: SeasonalPageData): string {
  const { t, lang } = frame;
  const monthName = (m: number) => new Intl.DateTimeFormat(lang, { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)));
  const places = new Map<string, { label: string; months: number[] }>();
  for (const r of data.rows) {
    const label = [data.by === 'admin2' ? r.admin2 : null, r.admin1].filter(Boolean).join(', ') || t('seasonal.unknown');
    const place = places.get(label) ?? { label, months: monthsOfYear.map(() => 0) };
    place.months[r.month - 1]! += r.warnings;
    places.set(label, place);
  }
  const max = Math.max(1, ...[...places.values()].flatMap((p) => p.months));
  return page(
    frame,
    html`<h1>${t('seasonal.title')}</h1>
    <form method="get" action="/seasonal" class="filters no-print">
      <div><label for="from">${t('report.from')}</label><input id="from" name="from" type="date" value="${data.from}"></div>
      <div><label for="to">${t('report.to')}</label><input id="to" name="to" type="date" value="${data.to}"></div>
      <div><label for="by">${t('seasonal.by')}</label><select id="by" name="by">
        ${(['admin1', 'admin2'] as const).map((b) => html`<option value="${b}"${b === data.by ? html` selected` : ''}>${t(`seasonal.${b}`)}</option>`)}</select></div>
      <div><button>${t('report.show')}</button></div>
    </form>
    ${
      places.size === 0
        ? html`<p class="notice">${t('seasonal.noData')}</p>`
        : html`<div class="scroll"><table class="heat"><caption>${t('seasonal.caption', { from: data.from, to: data.to })}</caption>
      <thead><tr><th scope="col">${t('seasonal.place')}</th>${monthsOfYear.map((m) => html`<th scope="col">${monthName(m)}</th>`)}<th scope="col">${t('seasonal.total')}</th></tr></thead>
      <tbody>${[...places.values()].map(
        (p) =>
          html`<tr><th scope="row">${p.label}</th>${p.months.map((n) => html`<td style="${shade(n, max)}">${n || ''}</td>`)}<td><strong>${p.months.reduce((a, b) => a + b, 0)}</strong></td></tr>`,
      )}</tbody></table></div>`
    }`,
  );
}
