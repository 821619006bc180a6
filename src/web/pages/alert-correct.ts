import { severities, threatTypes } from '../../domain/taxonomy.js';
import { html, type Html, type PageText } from '../html.js';
import type { AlertRow } from '../../db/alerts.js';

/**
 * Correcting the analysis, as the SMS `TYPE`, `GRAVITE`, `LIEU` and `BUREAU` commands and the card's
 * buttons do: the threat type, severity and office as lists (the current one chosen), the other types
 * as boxes to tick, the place as typed (read like `LIEU`, left empty to keep it).
 */
export function correctionForm(t: PageText, a: AlertRow, offices: readonly { id: string; name: string }[], csrf: string): Html {
  const option = (value: string, label: string, current: string | null) =>
    html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  return html`<h3>${t('alert.correctTitle')}</h3>
  <form method="post" action="/alerts/${a.ref}/correct" aria-label="${t('alert.correctTitle')}"><input type="hidden" name="_csrf" value="${csrf}">
    <label for="correct-type">${t('alert.type')}</label><select id="correct-type" name="threatType">
      ${a.threatType ? '' : option('', t('common:unclassified'), '')}
      ${threatTypes.map((type) => option(type, t(`common:threat.${type}`), a.threatType))}</select><br>
    <fieldset><legend>${t('alert.otherTypes')}</legend><input type="hidden" name="otherTypesShown" value="1">${threatTypes.map(
      (type) =>
        html`<label><input type="checkbox" name="otherThreatType" value="${type}"${a.otherThreatTypes.includes(type) ? html` checked` : ''}> ${t(`common:threat.${type}`)}</label> `,
    )}</fieldset>
    <label for="correct-severity">${t('alert.severity')}</label><select id="correct-severity" name="severity">
      ${a.severity ? '' : option('', '—', '')}
      ${severities.map((s) => option(s, t(`common:severity.${s}`), a.severity))}</select><br>
    <label for="correct-place">${t('alert.correctPlace')}</label><input id="correct-place" name="place" size="24" autocomplete="off"><br>
    <label for="correct-office">${t('alert.office')}</label><select id="correct-office" name="office">
      ${a.officeId ? '' : option('', '—', '')}
      ${offices.map((o) => option(o.id, o.name, a.officeId))}</select><br>
    <button>${t('alert.correct')}</button>
  </form>`;
}

/**
 * A few lines of vanilla JavaScript: every 5 seconds the alert's card, conversation and timeline
 * are fetched again (`/alerts/:ref/live`, 304 when unchanged) and replaced by their ids; the
 * forms are never touched, so a half-written note stays. A signed-out session reloads.
 */
export const alertScript = `(function(){var last=null;
setInterval(function(){fetch(location.pathname+'/live',{credentials:'same-origin'}).then(function(r){if(r.status===401){location.reload();return null}return r.ok?r.text():null}).then(function(h){if(!h||h===last)return;last=h;var t=document.createElement('template');t.innerHTML=h;Array.prototype.forEach.call(t.content.children,function(e){var o=e.id&&document.getElementById(e.id);if(o)o.replaceWith(e.cloneNode(true))})}).catch(function(){})},5000)})();`;
