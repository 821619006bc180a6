import { z } from 'zod';
import { isIP } from 'node:net';
import path from 'node:path';
import { channelAdapters, channelEnv, type ChannelSettings } from './channels/registry.js';
import { optional, url, withoutTrailingSlash } from './environment.js';
import { parseDuration } from './deployment/duration.js';

/**
 * Process configuration, read from the environment once at start-up (the only place that reads
 * `process.env`). See the environment table in README.md.
 */
export interface Config extends ChannelSettings {
  /** PostgreSQL URL; undefined = embedded PostgreSQL under `dataDir`. */
  databaseUrl?: string;
  /** Redis URL; undefined = BullMQ's PostgreSQL backend on the same database. */
  redisUrl?: string;
  dataDir: string;
  port: number;
  /** Where providers reach this service; Twilio signatures are computed on it. */
  publicUrl: string;
  /** Deployment file path; undefined = the bundled demo deployment. */
  deploymentFile?: string;
  adminApiToken?: string;
  /** base64 32-byte key; undefined in embedded mode = generated into `dataDir`. */
  piiKey?: string;
  logLevel: string;
  /** The inbound journal (`DATA_DIR/journal`), used while PostgreSQL is unreachable: bytes and ms (see README). */
  journal: { maxBytes: number; maxAgeMs: number };
  /**
   * Which reverse proxies' X-Forwarded-For to believe (Fastify's `trustProxy`): a number of hops, or
   * addresses and networks; undefined = none (the client address is the connection's).
   */
  trustProxy?: number | string[];
}

/** `1`, or `127.0.0.1,10.0.0.0/8,loopback`: hops, or the proxies' addresses, networks and proxy-addr's names. */
function parseTrustProxy(value: string): number | string[] | null {
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((s) => s.trim());
  const valid = (entry: string) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    return family !== 0 && rest.length === 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits));
  };
  return entries.every(valid) ? entries : null;
}

const byteUnits: Record<string, number> = { '': 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };
/** `268435456`, `256MiB`, `1GB`: bytes, or null. */
const parseBytes = (v: string): number | null => {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(v);
  const unit = m ? byteUnits[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Number(m[1]) * unit : null;
};

const envSchema = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    REDIS_URL: url(['redis:', 'rediss:']),
    DATA_DIR: optional,
    PORT: optional.refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), { message: 'must be a port number (0–65535)' }),
    PUBLIC_URL: url(['http:', 'https:']),
    DEPLOYMENT_FILE: optional,
    ...channelEnv,
    ADMIN_API_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    PII_KEY: optional.refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    }),
    JOURNAL_MAX_BYTES: optional.refine((v) => v === undefined || (parseBytes(v) ?? 0) > 0, {
      message: 'must be a size in bytes (268435456, 256MiB, 1GB)',
    }),
    JOURNAL_MAX_AGE: optional.refine((v) => v === undefined || parseDuration(v) !== null, { message: 'must be a duration (30m, 24h, 2d)' }),
    TRUST_PROXY: optional.refine((v) => v === undefined || parseTrustProxy(v) !== null, {
      message: 'must be a number of proxies (1) or their addresses and networks (127.0.0.1,10.0.0.0/8,loopback)',
    }),
    LOG_LEVEL: optional.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  })
  // Cross-checks run even when a single variable is bad, so every problem is reported at once.
  .superRefine(
    (env, ctx) => {
      for (const adapter of Object.values(channelAdapters)) {
        adapter.check?.(env as never, (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message }));
      }
      if (env.DATABASE_URL && !env.PII_KEY)
        ctx.addIssue({ code: 'custom', path: ['PII_KEY'], message: 'is required when DATABASE_URL is set (it is generated only in embedded mode)' });
    },
    { when: () => true },
  );

/** Thrown when the environment is invalid; `problems` holds one line per problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** One readable line per zod issue, prefixed with its path (`officers[2].office: …`). */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root = ''): string[] {
  return issues.map((issue) => {
    const where = issue.path.reduce<string>(
      (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
      root,
    );
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues));
  const e = parsed.data;
  const port = e.PORT === undefined ? 8080 : Number(e.PORT);
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(e.DATA_DIR ?? './data'),
    port,
    publicUrl: withoutTrailingSlash(e.PUBLIC_URL ?? `http://localhost:${port}`),
    deploymentFile: e.DEPLOYMENT_FILE ? path.resolve(e.DEPLOYMENT_FILE) : undefined,
    ...(Object.fromEntries(Object.entries(channelAdapters).map(([key, adapter]) => [key, adapter.settings(e as never)])) as ChannelSettings),
    adminApiToken: e.ADMIN_API_TOKEN,
    piiKey: e.PII_KEY,
    logLevel: e.LOG_LEVEL ?? 'info',
    journal: {
      maxBytes: e.JOURNAL_MAX_BYTES ? parseBytes(e.JOURNAL_MAX_BYTES)! : 256 * 1024 ** 2,
      maxAgeMs: e.JOURNAL_MAX_AGE ? parseDuration(e.JOURNAL_MAX_AGE)! : 24 * 3_600_000,
    },
    trustProxy: e.TRUST_PROXY ? parseTrustProxy(e.TRUST_PROXY)! : undefined,
  };
}
