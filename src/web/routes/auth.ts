import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { getOfficer } from '../../db/offices.js';
import { createWebSession, endWebSession, sessionIdleMs, setSessionLanguage, useLoginLink } from '../../db/sessions.js';
import type { WebDeps } from '../deps.js';
import { viewerFrame, visitorFrame } from '../frame.js';
import { pageLanguage, pageLanguages } from '../layout.js';
import { loginLinkPage, refusedLinkPage, signInPage, signOutPage } from '../pages/sign-in.js';
import { AttemptLimiter, csrfMatches, requireViewer, sessionCookieHeader, visitorLanguage } from '../session.js';

type Form = Record<string, string | string[] | undefined>;
const text = (form: Form, key: string) => (typeof form[key] === 'string' ? (form[key] as string) : '');
/**
 * A path on this site to go back to (never another site: `//host` and `http:` are refused), in the
 * printable ASCII a Location header can hold (a link's own non-ASCII is %-encoded by the browser).
 */
export const localPath = (path: string) => (/^\/(?![/\\])[\x21-\x7e]*$/.test(path) ? path : '/');
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Signing in and out: `/login/:token` (the officer's one-time link), `/signin` (the administrator's
 * ADMIN_API_TOKEN), `/logout`, and the language switch. Sign-in attempts are limited per client address.
 */
export function registerAuthRoutes(app: FastifyInstance, deps: WebDeps): void {
  const limiter = new AttemptLimiter();
  const startSession = async (session: Parameters<typeof createWebSession>[1]) => {
    const { token } = await createWebSession(deps.db, session, new Date());
    return sessionCookieHeader(deps, token, sessionIdleMs / 1000);
  };

  app.get('/signin', async (request, reply) => {
    const next = localPath(String((request.query as Form).next ?? '/'));
    return reply
      .type('text/html; charset=utf-8')
      .send(signInPage(visitorFrame(deps, request, 'signIn.title'), { next, adminSignIn: Boolean(deps.adminToken) }));
  });

  app.post<{ Body: Form }>('/signin', async (request, reply) => {
    const frame = visitorFrame(deps, request, 'signIn.title');
    const next = localPath(text(request.body ?? {}, 'next'));
    if (limiter.blocked(request.ip)) return reply.code(429).type('text/html; charset=utf-8').send(refusedLinkPage(frame, 'tooMany'));
    const given = text(request.body ?? {}, 'token');
    if (!deps.adminToken || !timingSafeEqual(sha256(given), sha256(deps.adminToken))) {
      limiter.failed(request.ip);
      deps.log.warn({ ip: request.ip }, 'operations room: refused administrator sign-in');
      return reply
        .code(401)
        .type('text/html; charset=utf-8')
        .send(signInPage(frame, { next, adminSignIn: Boolean(deps.adminToken), problem: frame.t('signIn.wrongToken') }));
    }
    const cookie = await startSession({ officerId: null, role: 'admin', officeId: null, language: visitorLanguage(deps, request) });
    return reply.header('set-cookie', cookie).redirect(next, 303);
  });

  app.get<{ Params: { token: string } }>('/login/:token', async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('referrer-policy', 'no-referrer')
      .send(loginLinkPage(visitorFrame(deps, request, 'signIn.linkTitle'), { action: `/login/${encodeURIComponent(request.params.token)}` })),
  );

  app.post<{ Params: { token: string } }>('/login/:token', async (request, reply) => {
    const frame = visitorFrame(deps, request, 'signIn.linkTitle');
    if (limiter.blocked(request.ip)) return reply.code(429).type('text/html; charset=utf-8').send(refusedLinkPage(frame, 'tooMany'));
    const used = await useLoginLink(deps.db, request.params.token, new Date());
    if ('refused' in used) {
      limiter.failed(request.ip);
      deps.log.warn({ ip: request.ip, reason: used.refused }, 'operations room: sign-in link refused');
      return reply
        .code(used.refused === 'unknown' ? 404 : 410)
        .type('text/html; charset=utf-8')
        .send(refusedLinkPage(frame, used.refused));
    }
    const officer = await getOfficer(deps.db, used.officerId);
    if (!officer?.active) return reply.code(403).type('text/html; charset=utf-8').send(refusedLinkPage(frame, 'unknown'));
    const missionWide = officer.role === 'joc' || officer.role === 'admin';
    const cookie = await startSession({
      officerId: officer.id,
      role: officer.role,
      officeId: missionWide ? null : officer.officeId,
      language: pageLanguage(officer.language, deps.defaultLanguage),
    });
    deps.log.info({ officer: officer.id }, 'operations room: signed in');
    return reply.header('set-cookie', cookie).redirect('/', 303);
  });

  app.post<{ Body: Form }>('/logout', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    if (!csrfMatches(viewer, request.body ?? {})) return reply.code(403).send('form expired: reload the page');
    await endWebSession(deps.db, viewer.token);
    return reply.header('set-cookie', sessionCookieHeader(deps, '', 0)).redirect('/signin', 303);
  });

  // "/logout ends it": typed in the address bar, it shows the button (a GET changes nothing).
  app.get('/logout', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const frame = await viewerFrame(deps, viewer, request, 'nav.signOut');
    return reply.type('text/html; charset=utf-8').send(signOutPage(frame));
  });

  app.post<{ Body: Form }>('/language', async (request, reply) => {
    const viewer = await requireViewer(deps, request, reply);
    if (!viewer) return reply;
    const body = request.body ?? {};
    if (!csrfMatches(viewer, body)) return reply.code(403).send('form expired: reload the page');
    const lang = text(body, 'lang');
    if (Object.hasOwn(pageLanguages, lang)) await setSessionLanguage(deps.db, viewer.token, lang);
    return reply.redirect(localPath(text(body, 'back')), 303);
  });
}
