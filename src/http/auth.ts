import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/**
 * Bearer-token check for `/api/*`, `/admin/*` and the simulator. Without ADMIN_API_TOKEN those
 * endpoints are off (404); a wrong or missing token is 401 and logged.
 */
export function createAdminAuth(token: string | undefined, log: Logger) {
  const expected = token ? createHash('sha256').update(token).digest() : null;
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!expected) {
      void reply.code(404).send({ error: 'the API is off: set ADMIN_API_TOKEN to enable it' });
      return false;
    }
    const header = request.headers.authorization ?? '';
    const given = createHash('sha256')
      .update(header.replace(/^Bearer\s+/i, ''))
      .digest();
    if (!/^Bearer\s+/i.test(header) || !timingSafeEqual(given, expected)) {
      log.warn({ path: request.routeOptions.url, ip: request.ip }, 'refused: bad or missing admin token');
      void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong bearer token' });
      return false;
    }
    return true;
  };
}
export type AdminAuth = ReturnType<typeof createAdminAuth>;
