import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { loginLinks, webSessions } from './schema/index.js';

export type WebSessionRow = typeof webSessions.$inferSelect;

/** How long a sign-in link is good for. */
export const loginLinkLifetimeMs = 10 * 60_000;
/** A session ends after this long without a request. */
export const sessionIdleMs = 12 * 3_600_000;

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/** Makes a one-time sign-in link for an officer; returns the token (only its hash is stored). */
export async function createLoginLink(db: DbOrTx, officerId: string, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insert(loginLinks)
    .values({ tokenHash: sha256(token), officerId, createdAt: now, expiresAt: new Date(now.getTime() + loginLinkLifetimeMs) });
  return token;
}

/**
 * Uses a sign-in link: the officer's id when the link exists, is unused and unexpired (it is then
 * used up, in the same statement, so two tabs cannot both use it); otherwise why not.
 */
export async function useLoginLink(
  db: DbOrTx,
  token: string,
  now: Date,
): Promise<{ officerId: string } | { refused: 'expired' | 'used' | 'unknown' }> {
  const tokenHash = sha256(token);
  const [used] = await db
    .update(loginLinks)
    .set({ usedAt: now })
    .where(and(eq(loginLinks.tokenHash, tokenHash), isNull(loginLinks.usedAt), gt(loginLinks.expiresAt, now)))
    .returning({ officerId: loginLinks.officerId });
  if (used) return { officerId: used.officerId };
  const [link] = await db.select().from(loginLinks).where(eq(loginLinks.tokenHash, tokenHash));
  if (!link) return { refused: 'unknown' };
  return { refused: link.usedAt ? 'used' : 'expired' };
}

/** Starts a session; returns the cookie token (only its hash is stored) and the session. */
export async function createWebSession(
  db: DbOrTx,
  session: Pick<WebSessionRow, 'officerId' | 'role' | 'officeId' | 'language'>,
  now: Date,
): Promise<{ token: string; session: WebSessionRow }> {
  const token = newToken();
  const [row] = await db
    .insert(webSessions)
    .values({ ...session, tokenHash: sha256(token), csrfToken: newToken(), createdAt: now, lastSeenAt: now })
    .returning();
  // Old sessions go when new ones start: the table holds no more than the live ones and a few.
  await db.delete(webSessions).where(lt(webSessions.lastSeenAt, new Date(now.getTime() - sessionIdleMs)));
  return { token, session: row! };
}

/** The live session of a cookie token, its last-seen time moved to now; null when unknown or idle too long. */
export async function touchWebSession(db: DbOrTx, token: string, now: Date): Promise<WebSessionRow | null> {
  const [row] = await db
    .update(webSessions)
    .set({ lastSeenAt: now })
    .where(and(eq(webSessions.tokenHash, sha256(token)), gt(webSessions.lastSeenAt, new Date(now.getTime() - sessionIdleMs))))
    .returning();
  return row ?? null;
}

/** The live session of a cookie token, without counting this as activity (the board's polling); null when unknown or idle too long. */
export async function findWebSession(db: DbOrTx, token: string, now: Date): Promise<WebSessionRow | null> {
  const [row] = await db
    .select()
    .from(webSessions)
    .where(and(eq(webSessions.tokenHash, sha256(token)), gt(webSessions.lastSeenAt, new Date(now.getTime() - sessionIdleMs))));
  return row ?? null;
}

/** Changes the language a session's pages are in. */
export async function setSessionLanguage(db: DbOrTx, token: string, language: string): Promise<void> {
  await db
    .update(webSessions)
    .set({ language })
    .where(eq(webSessions.tokenHash, sha256(token)));
}

/** Ends a session (/logout). */
export async function endWebSession(db: DbOrTx, token: string): Promise<void> {
  await db.delete(webSessions).where(eq(webSessions.tokenHash, sha256(token)));
}
