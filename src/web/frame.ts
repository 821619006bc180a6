import type { FastifyRequest } from 'fastify';
import { getOfficer } from '../db/offices.js';
import type { WebDeps } from './deps.js';
import type { PageFrame } from './layout.js';
import { pageText, visitorLanguage, type Viewer } from './session.js';

/** The frame of a page for a signed-in viewer (their name and office in the header). */
export async function viewerFrame(deps: WebDeps, viewer: Viewer, request: FastifyRequest, title: string, script?: string): Promise<PageFrame> {
  const officer = viewer.session.officerId ? await getOfficer(deps.db, viewer.session.officerId) : null;
  return {
    t: viewer.t,
    lang: viewer.lang,
    title: viewer.t(title),
    user: { name: officer?.name ?? viewer.t('signIn.administrator'), office: viewer.officeId, csrf: viewer.session.csrfToken },
    here: request.url,
    script,
  };
}

/** The frame of a page for someone not signed in. */
export function visitorFrame(deps: WebDeps, request: FastifyRequest, title: string): PageFrame {
  const lang = visitorLanguage(deps, request);
  const t = pageText(deps, lang);
  return { t, lang, title: t(title), user: null, here: request.url.split('?')[0]! };
}
