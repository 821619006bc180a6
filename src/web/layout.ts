import { html, raw, type Html, type PageText } from './html.js';
import { styles } from './styles.js';

/** Who is signed in, as the page header shows them. */
export interface PageUser {
  name: string;
  /** The office they see, or null for every office. */
  office: string | null;
  csrf: string;
}

/** What every page of the operations room has around its content. */
export interface PageFrame {
  t: PageText;
  lang: string;
  title: string;
  /** Null on the sign-in pages. */
  user: PageUser | null;
  /** The page's path and query, where the language switch comes back to. */
  here: string;
  /** Script nonce (Content-Security-Policy), when the page has a script. */
  nonce?: string;
  script?: string;
}

/** The languages the pages are written in (locales/<lng>/web.json), by their own names. */
export const pageLanguages: Record<string, string> = { fr: 'Français', en: 'English' };

/** A person's language if the pages are written in it, else the mission's, else French. */
export const pageLanguage = (wanted: string | null | undefined, fallback: string) =>
  wanted && Object.hasOwn(pageLanguages, wanted) ? wanted : Object.hasOwn(pageLanguages, fallback) ? fallback : 'fr';

function navigation(frame: PageFrame, user: PageUser): Html {
  const { t } = frame;
  const link = (href: string, key: string) => {
    const current = frame.here === href || frame.here.startsWith(`${href}?`) || (href !== '/' && frame.here.startsWith(href));
    return html`<li><a href="${href}"${raw(current ? ' aria-current="page"' : '')}>${t(key)}</a></li>`;
  };
  return html`<nav aria-label="${t('nav.label')}"><ul>
    ${link('/', 'nav.board')}${link('/report', 'nav.report')}${link('/seasonal', 'nav.seasonal')}${link('/map', 'nav.map')}
  </ul>
  <div class="who">
    <span>${user.name}${user.office ? ` · ${user.office}` : ''}</span>
    <form method="post" action="/language" class="inline">
      <input type="hidden" name="_csrf" value="${user.csrf}"><input type="hidden" name="back" value="${frame.here}">
      ${Object.entries(pageLanguages)
        .filter(([code]) => code !== frame.lang)
        .map(([code, name]) => html`<button name="lang" value="${code}" lang="${code}" class="link">${name}</button>`)}
    </form>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="${user.csrf}"><button class="link">${t('nav.signOut')}</button>
    </form>
  </div></nav>`;
}

/** The whole page: head with the inline stylesheet, header and navigation, then the content. */
export function page(frame: PageFrame, content: Html): string {
  const switchLanguage = Object.entries(pageLanguages)
    .filter(([code]) => code !== frame.lang)
    .map(([code, name]) => html`<a href="?lang=${code}" lang="${code}">${name}</a>`);
  return `<!doctype html>${html`<html lang="${frame.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · Tamtam</title><style>${raw(styles)}</style></head>
<body>
<header><p class="brand">Tamtam</p>${frame.user ? navigation(frame, frame.user) : html`<p class="who">${switchLanguage}</p>`}</header>
<main id="main">${content}</main>
${frame.script ? html`<script nonce="${frame.nonce ?? ''}">${raw(frame.script)}</script>` : ''}
</body></html>`}`;
}

/** A short page with a heading and a message (a refused link, a 403, a 404). */
export function messagePage(frame: PageFrame, heading: string, lines: (string | Html)[]): string {
  return page(frame, html`<h1>${heading}</h1>${lines.map((line) => html`<p>${line}</p>`)}`);
}
