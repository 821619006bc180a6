import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { WebDeps } from './deps.js';
import { alertScript } from './pages/alert-correct.js';
import { boardScript } from './pages/board.js';
import { registerAlertRoutes } from './routes/alert.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerBoardRoutes } from './routes/board.js';
import { registerMapRoute } from './routes/map.js';
import { registerReportPages } from './routes/reports.js';

const scriptHash = (script: string) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`;

/**
 * Pages may load nothing from anywhere: inline styles, the board's and the alert page's scripts (allowed by their hashes),
 * requests only to Tamtam itself.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src ${scriptHash(boardScript)} ${scriptHash(alertScript)}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * Parses an HTML form (`a=1&b=2&b=3`): a key given several times becomes an array. NUL characters
 * are dropped: PostgreSQL cannot store them, and no one types them.
 */
function parseForm(body: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = Object.create(null);
  for (const [key, raw] of new URLSearchParams(body)) {
    const value = raw.replaceAll('\0', '');
    const seen = form[key];
    form[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return form;
}

/** The operations room (DESIGN.md "Operations room (web)"), in its own scope with its own form parser and headers. */
export function registerWebRoutes(app: FastifyInstance, deps: WebDeps): void {
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, parseForm(body as string)),
    );
    // A form posted from another site is refused, sign-in forms included (no one is signed in as someone else by a forged form).
    scope.addHook('preHandler', async (request, reply) => {
      const origin = request.headers.origin;
      if (request.method === 'POST' && origin && (!URL.canParse(origin) || new URL(origin).host !== request.headers.host)) {
        // The route's pattern, not the path: a sign-in link's path is its one-time token.
        deps.log.warn({ origin, route: request.routeOptions.url }, 'operations room: refused a form from another site');
        return reply.code(403).type('text/plain; charset=utf-8').send('forms are accepted only from this site');
      }
    });
    scope.addHook('onSend', async (_request, reply, payload) => {
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply
          .header('content-security-policy', contentSecurityPolicy)
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'same-origin');
        if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      }
      return payload;
    });
    registerAuthRoutes(scope, deps);
    registerBoardRoutes(scope, deps);
    registerAlertRoutes(scope, deps);
    registerReportPages(scope, deps);
    registerMapRoute(scope, deps);
  });
}
