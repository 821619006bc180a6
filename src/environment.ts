import { z } from 'zod';

/** Zod pieces for environment variables, shared by src/config.ts and the channel adapters. */

/** An optional variable: unset or blank is undefined, anything else is trimmed. */
export const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An optional URL with one of these protocols (`http:`, `postgres:` …). */
export const url = (protocols: string[]) =>
  optional.refine((v) => v === undefined || (URL.canParse(v) && protocols.includes(new URL(v).protocol)), {
    message: `must be a URL (${protocols.join(' or ')})`,
  });

/** A URL without its trailing slashes. */
export const withoutTrailingSlash = (value: string) => value.replace(/\/+$/, '');
