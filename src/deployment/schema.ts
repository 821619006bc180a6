import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { officerRoles, severities, threatTypes, urgencies } from '../domain/taxonomy.js';
import { defaultSeverityRule } from '../domain/severity.js';
import { parseDuration } from './duration.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _ (at most 63)');
const language = z.string().regex(/^[a-z]{2,3}$/, 'must be a 2- or 3-letter language code (fr, en, bm…)');
// Stored in E.164 (`+223 70 00 00 01` becomes `+22370000001`), as senders' numbers are compared.
const phone = z
  .string()
  .refine((v) => parsePhoneNumberFromString(v.replace(/^whatsapp:/, ''))?.isValid() === true, {
    message: 'must be a valid international phone number, e.g. +22370000001',
  })
  .transform((v) => (v.startsWith('whatsapp:') ? 'whatsapp:' : '') + parsePhoneNumberFromString(v.replace(/^whatsapp:/, ''))!.number);
const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (use 30s, 5m, 1h)` });
    return z.NEVER;
  }
  return ms;
});
/** True for an IANA time zone name the runtime knows (`Africa/Bamako`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The mission's time zone (reports count days and months in it). */
const timezone = z.string().refine(isTimeZone, {
  error: (issue) => `unknown time zone "${String(issue.input)}" (use an IANA name such as Africa/Bamako)`,
});
const nameList = z.array(z.string().min(1)).optional();

/** Who an escalation level notifies. */
const notifyTarget = z
  .string()
  .regex(
    /^(office\.(officers|supervisors|group|all)|role\.(officer|supervisor|joc|admin)|officer\.[a-z0-9][a-z0-9_-]*)$/,
    'must be office.officers, office.supervisors, office.group, office.all, role.<role> or officer.<id>',
  );

const escalationPolicy = z.object({
  ackTimeout: z.object(Object.fromEntries(severities.map((s) => [s, duration])) as Record<(typeof severities)[number], typeof duration>),
  levels: z.array(z.object({ notify: z.array(notifyTarget).min(1) })).min(1),
  repeatLast: z.number().int().min(0).max(100).default(0),
});

const fieldOffice = z.object({
  id,
  name: z.string().min(1),
  area: z.object({ admin1: nameList, admin2: nameList, admin3: nameList }).strict().default({}),
  location: z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]).optional(),
  telegramChatId: z.union([z.number().int(), z.string().regex(/^-?\d+$|^@\w+$/)]).optional(),
  escalation: z.string().default('default'),
  triage: z.boolean().default(false),
});

const officer = z.object({
  id,
  name: z.string().min(1),
  office: z.string(),
  role: z.enum(officerRoles).default('officer'),
  telegramId: z.number().int().positive().optional(),
  phone: phone.optional(),
  language: language.optional(),
});

const focalPoint = z.object({
  phone,
  name: z.string().min(1).optional(),
  place: z.string().min(1).optional(),
  language: language.optional(),
  silent: z.boolean().default(false),
});

const severityRule = z
  .object({
    base: z
      .object(
        Object.fromEntries(threatTypes.map((t) => [t, z.enum(severities)])) as Record<
          (typeof threatTypes)[number],
          z.ZodEnum<{ [K in (typeof severities)[number]]: K }>
        >,
      )
      .partial(),
    urgencyShift: z
      .object(Object.fromEntries(urgencies.map((u) => [u, z.number().int().min(-3).max(3)])) as Record<(typeof urgencies)[number], z.ZodNumber>)
      .partial(),
  })
  .partial()
  .transform((rule) => ({
    base: { ...defaultSeverityRule.base, ...rule.base },
    urgencyShift: { ...defaultSeverityRule.urgencyShift, ...rule.urgencyShift },
  }));

/** The built-in policy used when the deployment file defines none. */
export const builtInEscalationPolicy = {
  ackTimeout: { critical: '5m', high: '15m', medium: '1h', low: '4h' },
  levels: [{ notify: ['office.officers', 'office.group'] }, { notify: ['office.supervisors'] }, { notify: ['role.joc'] }],
  repeatLast: 2,
};

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

/** The weekly digest to each office's supervisors and the JOC: on by default, Monday 08:00 mission time. */
const weeklyDigest = z
  .object({
    enabled: z.boolean().default(true),
    day: z.enum(weekdays).default('monday'),
    hour: z.number().int().min(0).max(23).default(8),
  })
  .strict();

/**
 * When warnings tell of the same incident (README "Alerts about the same incident"): places at most
 * `nearKm` apart are one place; another reporter's warning is grouped under an alert received at
 * most `window` before it, unless `group` is false (every warning then stays an alert of its own).
 */
const sameIncident = z
  .object({ nearKm: z.number().min(0).max(100).default(10), window: duration.default(3 * 3_600_000), group: z.boolean().default(true) })
  .strict();

/** The digest's schedule as a cron pattern (minute hour * * weekday), read in the mission's time zone. */
export const digestCron = (d: { day: (typeof weekdays)[number]; hour: number }) => `0 ${d.hour} * * ${weekdays.indexOf(d.day)}`;

export const deploymentSchema = z
  .object({
    mission: z.string().min(1),
    defaultLanguage: language.default('fr'),
    /** The mission's time zone: report periods and months are read in it. */
    timezone: timezone.default('UTC'),
    weeklyDigest: weeklyDigest.default({ enabled: true, day: 'monday', hour: 8 }),
    fieldOffices: z.array(fieldOffice).min(1),
    officers: z.array(officer).default([]),
    focalPoints: z.array(focalPoint).default([]),
    escalationPolicies: z.record(z.string(), escalationPolicy).default({ default: escalationPolicy.parse(builtInEscalationPolicy) }),
    gazetteers: z.array(z.object({ path: z.string().min(1), format: z.enum(['oad', 'plain']).optional() })).default([]),
    severity: severityRule.default({ base: defaultSeverityRule.base, urgencyShift: defaultSeverityRule.urgencyShift }),
    sameIncident: sameIncident.default({ nearKm: 10, window: 3 * 3_600_000, group: true }),
  })
  .strict()
  // Cross-references are checked even when other parts are invalid, so every problem shows at once.
  .superRefine(
    (input, ctx) => {
      const d = {
        fieldOffices: Array.isArray(input.fieldOffices) ? input.fieldOffices : [],
        officers: Array.isArray(input.officers) ? input.officers : [],
        escalationPolicies: typeof input.escalationPolicies === 'object' && input.escalationPolicies !== null ? input.escalationPolicies : {},
      };
      const officeIds = new Set<string>();
      d.fieldOffices.forEach((office, i) => {
        if (officeIds.has(office.id)) ctx.addIssue({ code: 'custom', path: ['fieldOffices', i, 'id'], message: `duplicate office "${office.id}"` });
        officeIds.add(office.id);
        if (!(office.escalation in d.escalationPolicies))
          ctx.addIssue({ code: 'custom', path: ['fieldOffices', i, 'escalation'], message: `unknown escalation policy "${office.escalation}"` });
      });
      if (!d.fieldOffices.some((o) => o.triage))
        ctx.addIssue({
          code: 'custom',
          path: ['fieldOffices'],
          message: 'one office must have triage: true (it receives alerts that cannot be placed)',
        });
      const officerIds = new Set<string>();
      const telegramIds = new Set<number>();
      d.officers.forEach((o, i) => {
        if (!officeIds.has(o.office)) ctx.addIssue({ code: 'custom', path: ['officers', i, 'office'], message: `unknown office "${o.office}"` });
        if (officerIds.has(o.id)) ctx.addIssue({ code: 'custom', path: ['officers', i, 'id'], message: `duplicate officer "${o.id}"` });
        officerIds.add(o.id);
        if (o.telegramId !== undefined) {
          if (telegramIds.has(o.telegramId))
            ctx.addIssue({ code: 'custom', path: ['officers', i, 'telegramId'], message: `telegramId ${o.telegramId} is used twice` });
          telegramIds.add(o.telegramId);
        }
      });
      for (const [name, policy] of Object.entries(d.escalationPolicies)) {
        (Array.isArray(policy?.levels) ? policy.levels : []).forEach((level, li) =>
          (Array.isArray(level?.notify) ? level.notify : []).forEach((target, ti) => {
            const officerId = target.startsWith('officer.') ? target.slice('officer.'.length) : null;
            if (officerId !== null && !officerIds.has(officerId))
              ctx.addIssue({
                code: 'custom',
                path: ['escalationPolicies', name, 'levels', li, 'notify', ti],
                message: `unknown officer "${officerId}"`,
              });
          }),
        );
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

/** A validated deployment (durations in milliseconds, defaults filled in). */
export type Deployment = z.output<typeof deploymentSchema>;
export type FieldOfficeConfig = Deployment['fieldOffices'][number];
export type OfficerConfig = Deployment['officers'][number];
export type EscalationPolicy = Deployment['escalationPolicies'][string];
