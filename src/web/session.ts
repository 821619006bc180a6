import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { findWebSession, touchWebSession, type WebSessionRow } from '../db/sessions.js';
import type { WebDeps } from './deps.js';
import type { PageText } from './html.js';
import { pageLanguage, pageLanguages } from './layout.js';

export const sessionCookie = 'tamtam_session';

/** Reads one cookie from the request's Cookie header. */
export function cookieOf(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return null; // not a cookie Tamtam set (a bad %-escape): as if there were none
    }
  }
  return null;
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure when PUBLIC_URL is https; `maxAge` 0 removes it. */
export function sessionCookieHeader(deps: WebDeps, token: string, maxAgeSeconds: number): string {
  return `${sessionCookie}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${deps.secureCookies ? '; Secure' : ''}`;
}

/** A signed-in request: the session and what pages need of it. */
export interface Viewer {
  session: WebSessionRow;
  token: string;
  /** The office whose alerts this person sees; null = every office. */
  officeId: string | null;
  t: PageText;
  lang: string;
}

/** The language of a page for someone not signed in: `?lang=`, else the browser's, else the mission's. */
export function visitorLanguage(deps: WebDeps, request: FastifyRequest): string {
  const asked = (request.query as Record<string, unknown> | undefined)?.lang;
  if (typeof asked === 'string' && Object.hasOwn(pageLanguages, asked)) return asked;
  return pageLanguage((request.headers['accept-language'] ?? '').slice(0, 2).toLowerCase(), deps.defaultLanguage);
}

/** Keys of locales/<lng>/web.json, or of another namespace when named (`common:threat.abduction`). */
export const pageText =
  (deps: WebDeps, lang: string): PageText =>
  (key, vars) =>
    deps.t(lang, key.includes(':') ? key : `web:${key}`, vars);

/**
 * The signed-in viewer of a request, or null. The session's last-seen time moves to now, except for
 * requests a page makes by itself (`touch: false`, the board's polling): an open tab alone does not
 * keep a session alive past 12 hours without a person using it.
 */
export async function viewerOf(deps: WebDeps, request: FastifyRequest, { touch = true } = {}): Promise<Viewer | null> {
  const token = cookieOf(request, sessionCookie);
  if (!token) return null;
  const session = touch ? await touchWebSession(deps.db, token, new Date()) : await findWebSession(deps.db, token, new Date());
  if (!session) return null;
  return { session, token, officeId: session.officeId, t: pageText(deps, session.language), lang: session.language };
}

/**
 * The viewer, or the answer for someone not signed in: pages redirect to the sign-in page;
 * fragments and downloads get 401.
 */
export async function requireViewer(
  deps: WebDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  { redirect = true, touch = true } = {},
): Promise<Viewer | null> {
  const viewer = await viewerOf(deps, request, { touch });
  if (viewer) return viewer;
  if (redirect) void reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`, 303);
  else void reply.code(401).type('text/plain; charset=utf-8').send('sign in first');
  return null;
}

/** A form's CSRF token matches the session's (constant time). */
export function csrfMatches(viewer: Viewer, body: Record<string, unknown>): boolean {
  const given = createHash('sha256')
    .update(String(body._csrf ?? ''))
    .digest();
  const expected = createHash('sha256').update(viewer.session.csrfToken).digest();
  return timingSafeEqual(given, expected);
}

/** The viewer may see alerts of this office. */
export const sees = (viewer: Viewer, officeId: string | null) => viewer.officeId === null || viewer.officeId === officeId;

/**
 * Failed sign-in attempts per client address, counted in this process's memory: enough for one
 * web process; several web processes behind a balancer each count their own. Only failures count:
 * a shift of officers signing in from one office (one address behind its router) is never refused.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly max = 10,
    private readonly windowMs = 10 * 60_000,
  ) {}

  /** True when the address has failed `max` times in the window: it is refused without being checked. */
  blocked(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length >= this.max;
  }

  /** Counts a failed attempt. */
  failed(key: string, now = Date.now()): void {
    if (this.failures.size > 10_000) this.failures.clear(); // a flood of addresses: start again rather than grow
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
  }
}
