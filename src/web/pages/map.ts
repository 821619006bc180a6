import type { BoardAlert } from '../../db/board.js';
import { threatTypes, severities } from '../../domain/taxonomy.js';
import { normalizeName } from '../../gazetteer/normalize.js';
import { projection, type Area, type Boundaries } from '../boundaries.js';
import { html } from '../html.js';
import { page, type PageFrame } from '../layout.js';

/** What the map shows: office areas, recent alerts with a place, and where the boundaries come from. */
export interface MapPageData {
  boundaries: Boundaries | null;
  offices: { id: string; name: string; area: { admin1?: string[]; admin2?: string[] } }[];
  alerts: readonly BoardAlert[];
  days: number;
}

const officeColours = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#edc948', '#76b7b2', '#ff9da7', '#9c755f'];
const typeColours = ['#c0392b', '#1f5fa8', '#7d3c98', '#6e4b2a', '#c2185b', '#d35400', '#1e8449', '#8a8a00', '#117a8b', '#555555'];
const severityRadius: Record<string, number> = { critical: 9, high: 7, medium: 5, low: 4 };

/** The areas an office covers, among the country's admin1 and admin2 areas. */
function officeAreas(boundaries: Boundaries, area: MapPageData['offices'][number]['area']): Area[] {
  const admin1 = new Set((area.admin1 ?? []).map(normalizeName));
  const admin2 = new Set((area.admin2 ?? []).map(normalizeName));
  return [...boundaries.adm1.filter((a) => admin1.has(a.key)), ...boundaries.adm2.filter((a) => admin2.has(a.key))];
}

/** `/map`: office areas and recent alerts by type (colour) and severity (size), drawn as inline SVG with a legend. */
export function mapPage(frame: PageFrame, data: MapPageData): string {
  const { t } = frame;
  const typeColour = (type: string | null) => typeColours[threatTypes.indexOf((type ?? 'other') as (typeof threatTypes)[number])] ?? '#555555';
  const caption = t('map.caption', { days: data.days });
  const b = data.boundaries;
  const map = b
    ? (() => {
        const p = projection(b.adm1, 800);
        const offices = data.offices
          .map((o, i) => ({ ...o, colour: officeColours[i % officeColours.length]!, areas: officeAreas(b, o.area) }))
          .filter((o) => o.areas.length);
        return html`<svg class="chart" role="group" aria-labelledby="map-title" viewBox="0 0 ${p.width} ${p.height}" width="${p.width}" height="${p.height}">
          <title id="map-title">${caption}</title>
          <g fill="#eef1f4" stroke="#8a939e" stroke-width="0.8">${b.adm1.map((a) => html`<path d="${p.path(a)}"><title>${a.name}</title></path>`)}</g>
          ${offices.map((o) => html`<g role="img" aria-label="${o.name}" fill="${o.colour}" fill-opacity="0.45" stroke="#1b1f24" stroke-width="1.2">${o.areas.map((a) => html`<path d="${p.path(a)}"></path>`)}</g>`)}
          ${data.alerts.map((a) => {
            const [x, y] = p.project(a.lon!, a.lat!);
            const label = `${a.ref} · ${a.threatType ? t(`common:threat.${a.threatType}`) : t('common:unclassified')} · ${a.severity ? t(`common:severity.${a.severity}`) : '—'} · ${a.place ?? ''}`;
            return html`<a href="/alerts/${a.ref}" aria-label="${label}"><circle cx="${x}" cy="${y}" r="${severityRadius[a.severity ?? 'low'] ?? 4}" fill="${typeColour(a.threatType)}" stroke="#fff" stroke-width="1.5"><title>${label}</title></circle></a>`;
          })}
        </svg>
        <div class="grid small"><div><h2>${t('map.offices')}</h2><ul class="legend">${offices.map((o) => html`<li><span class="swatch" style="background:${o.colour}"></span>${o.name}</li>`)}</ul></div>
        <div><h2>${t('map.types')}</h2><ul class="legend">${threatTypes.map((x, i) => html`<li><span class="swatch" style="background:${typeColours[i]};border-radius:50%"></span>${t(`common:threat.${x}`)}</li>`)}</ul>
        <h2>${t('map.severities')}</h2><ul class="legend">${severities.map((s) => html`<li><svg width="20" height="20" aria-hidden="true"><circle cx="10" cy="10" r="${severityRadius[s]}" fill="#555"></circle></svg> ${t(`common:severity.${s}`)}</li>`)}</ul></div></div>
        <p class="small"><strong>${t('map.attribution')}:</strong> ${b.attribution}</p>`;
      })()
    : html`<p class="notice">${t('map.noBoundaries')}</p>`;
  return page(
    frame,
    html`<h1>${t('map.title')}</h1>
    <form method="get" action="/map" class="filters no-print"><div><label for="days">${t('map.days')}</label><input id="days" name="days" type="number" min="1" max="365" value="${data.days}"></div><div><button>${t('report.show')}</button></div></form>
    ${map}
    <h2>${t('map.list')}</h2>
    ${
      data.alerts.length
        ? html`<ul>${data.alerts.map((a) => html`<li><a href="/alerts/${a.ref}">${a.ref}</a> · ${a.threatType ? t(`common:threat.${a.threatType}`) : t('common:unclassified')} · ${a.place} · ${t(`common:status.${a.status}`)}</li>`)}</ul>`
        : html`<p>${t('map.none')}</p>`
    }`,
  );
}
