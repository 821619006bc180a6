import type { OfficerRow } from '../../db/offices.js';
import { createLoginLink, loginLinkLifetimeMs } from '../../db/sessions.js';
import type { WorkflowDeps } from '../deps.js';

/** `LOGIN` typed by SMS (or to the bot): asks for a sign-in link to the operations room. */
export const isLoginRequest = (text: string) => /^\s*(login|connexion)\s*$/i.test(text);

/**
 * A one-time sign-in link to the operations room for an officer, in a message in their language
 * (`/login` to the bot, `LOGIN` by SMS). The link opens a page with a button that signs in, so a
 * link preview fetching it does not use it up.
 */
export async function loginLinkMessage(deps: WorkflowDeps, officer: OfficerRow): Promise<string> {
  if (!deps.publicUrl) return deps.t(officer.language, 'web:login.off');
  const token = await createLoginLink(deps.db, officer.id, deps.now());
  return deps.t(officer.language, 'web:login.link', { url: `${deps.publicUrl}/login/${token}`, minutes: loginLinkLifetimeMs / 60_000 });
}
