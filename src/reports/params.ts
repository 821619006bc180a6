import { z } from 'zod';
import { responseGroupings } from '../db/response-report.js';
import { seasonalGroupings } from '../db/seasonal-report.js';

/** The longest period a report or export may cover (days). */
export const longestPeriodDays = 3_700;

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const day = new Date(`${s}T00:00:00Z`);
    // Year 0000 is a date to JavaScript but not to PostgreSQL (there was no year 0).
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(s) && !s.startsWith('0000');
  }, 'is not a date of the calendar');
const flag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const list = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values, { error: (issue) => `unknown "${String(issue.input)}" (use ${values.join(', ')})` })))
    .refine((keys) => new Set(keys).size === keys.length, 'names a grouping twice');

/** `from`/`to` (to exclusive, after from, within the longest period) and `exercise`. */
const period = {
  from: date,
  to: date,
  exercise: flag.default(false),
};

function checkPeriod(p: { from: string; to: string }, ctx: z.RefinementCtx) {
  const days = (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000;
  if (days <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from (to is exclusive)' });
  if (days > longestPeriodDays) ctx.addIssue({ code: 'custom', path: ['to'], message: `the period may cover at most ${longestPeriodDays} days` });
}

/** Query of the response report: `from`, `to`, `by` (office,type,severity,month), `exercise`. */
export const responseQuery = z
  .object({ ...period, by: list(responseGroupings).default([]) })
  .strict()
  .superRefine(checkPeriod);

/** Query of the seasonal report: `from`, `to`, `by` (admin1 or admin2, default admin1), `exercise`. */
export const seasonalQuery = z
  .object({ ...period, by: z.enum(seasonalGroupings).default('admin1') })
  .strict()
  .superRefine(checkPeriod);

/** Query of the alerts export: `from`, `to`, `hxl`, `exercise`. */
export const exportQuery = z
  .object({ ...period, hxl: flag.default(false) })
  .strict()
  .superRefine(checkPeriod);

/** The first problem of a parse, as one line naming the parameter (`to: must be after from`). */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || 'query'}: ${issue.message}`;
}
