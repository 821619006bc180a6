import { z } from 'zod';
import path from 'node:path';
import { parseDuration } from './deployment/duration.js';

/**
 * Process configuration, read from the environment once at start-up (the only place that reads
 * `process.env`). See the environment table in README.md.
 */
export interface Config {
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
  telegram?: { botToken: string; webhookSecret?: string; apiRoot: string; mode: 'webhook' | 'polling' };
  twilio?: { accountSid: string; authToken: string; from?: string; messagingServiceSid?: string; apiBase: string };
  adminApiToken?: string;
  /** base64 32-byte key; undefined in embedded mode = generated into `dataDir`. */
  piiKey?: string;
  logLevel: string;
  /** The inbound journal (`DATA_DIR/journal`), used while PostgreSQL is unreachable: bytes and ms (see README). */
  journal: { maxBytes: number; maxAgeMs: number };
}

const byteUnits: Record<string, number> = { '': 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };
/** `268435456`, `256MiB`, `1GB`: bytes, or null. */
const parseBytes = (v: string): number | null => {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(v);
  const unit = m ? byteUnits[m[2]!.toLowerCase()] : undefined;
  return m && unit ? Number(m[1]) * unit : null;
};

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (protocols: string[]) =>
  optional.refine(
    (v) => v === undefined || (URL.canParse(v) && protocols.includes(new URL(v).protocol)),
    { message: `must be a URL (${protocols.join(' or ')})` },
  );

const envSchema = z
  .object({
    DATABASE_URL: url(['postgres:', 'postgresql:']),
    REDIS_URL: url(['redis:', 'rediss:']),
    DATA_DIR: optional,
    PORT: optional.refine((v) => v === undefined || (/^\d{1,5}$/.test(v) && Number(v) <= 65535), { message: 'must be a port number (0–65535)' }),
    PUBLIC_URL: url(['http:', 'https:']),
    DEPLOYMENT_FILE: optional,
    TELEGRAM_BOT_TOKEN: optional.refine((v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v), {
      message: 'must look like 123456:ABC… (the token BotFather gave)',
    }),
    TELEGRAM_WEBHOOK_SECRET: optional.refine((v) => v === undefined || /^[\w-]{1,256}$/.test(v), {
      message: 'may contain only A-Z, a-z, 0-9, _ and - (1–256 characters)',
    }),
    TELEGRAM_API_ROOT: url(['http:', 'https:']),
    TELEGRAM_MODE: optional.pipe(z.enum(['webhook', 'polling']).optional()),
    TWILIO_ACCOUNT_SID: optional.refine((v) => v === undefined || /^AC[0-9a-fA-F]{32}$/.test(v), {
      message: 'must be AC followed by 32 hex digits',
    }),
    TWILIO_AUTH_TOKEN: optional,
    TWILIO_FROM: optional,
    TWILIO_MESSAGING_SERVICE_SID: optional,
    TWILIO_API_BASE: url(['http:', 'https:']),
    ADMIN_API_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters',
    }),
    PII_KEY: optional.refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    }),
    JOURNAL_MAX_BYTES: optional.refine((v) => v === undefined || (parseBytes(v) ?? 0) > 0, { message: 'must be a size in bytes (268435456, 256MiB, 1GB)' }),
    JOURNAL_MAX_AGE: optional.refine((v) => v === undefined || parseDuration(v) !== null, { message: 'must be a duration (30m, 24h, 2d)' }),
    LOG_LEVEL: optional.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  })
  // Cross-checks run even when a single variable is bad, so every problem is reported at once.
  .superRefine((env, ctx) => {
    const twilioAny = env.TWILIO_ACCOUNT_SID ?? env.TWILIO_AUTH_TOKEN ?? env.TWILIO_FROM ?? env.TWILIO_MESSAGING_SERVICE_SID;
    if (twilioAny !== undefined) {
      if (!env.TWILIO_ACCOUNT_SID) ctx.addIssue({ code: 'custom', path: ['TWILIO_ACCOUNT_SID'], message: 'is required when Twilio is configured' });
      if (!env.TWILIO_AUTH_TOKEN) ctx.addIssue({ code: 'custom', path: ['TWILIO_AUTH_TOKEN'], message: 'is required when Twilio is configured' });
      if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID)
        ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'or TWILIO_MESSAGING_SERVICE_SID is required when Twilio is configured' });
    }
    if (env.TELEGRAM_BOT_TOKEN && (env.TELEGRAM_MODE ?? 'webhook') === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET)
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'is required with TELEGRAM_BOT_TOKEN in webhook mode' });
    if (env.DATABASE_URL && !env.PII_KEY)
      ctx.addIssue({ code: 'custom', path: ['PII_KEY'], message: 'is required when DATABASE_URL is set (it is generated only in embedded mode)' });
  }, { when: () => true });

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
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    deploymentFile: e.DEPLOYMENT_FILE ? path.resolve(e.DEPLOYMENT_FILE) : undefined,
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          botToken: e.TELEGRAM_BOT_TOKEN,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: (e.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, ''),
          mode: e.TELEGRAM_MODE ?? 'webhook',
        }
      : undefined,
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM,
            messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
            apiBase: (e.TWILIO_API_BASE ?? 'https://api.twilio.com').replace(/\/+$/, ''),
          }
        : undefined,
    adminApiToken: e.ADMIN_API_TOKEN,
    piiKey: e.PII_KEY,
    logLevel: e.LOG_LEVEL ?? 'info',
    journal: {
      maxBytes: e.JOURNAL_MAX_BYTES ? parseBytes(e.JOURNAL_MAX_BYTES)! : 256 * 1024 ** 2,
      maxAgeMs: e.JOURNAL_MAX_AGE ? parseDuration(e.JOURNAL_MAX_AGE)! : 24 * 3_600_000,
    },
  };
}
