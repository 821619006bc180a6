import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import twilio from 'twilio';
import { z } from 'zod';
import type { DeliveryStatus } from '../db/outbox.js';
import type { Intake } from './channel.js';

/** Form fields as Twilio posts them; a repeated field becomes an array, as the signature expects. */
export type FormParams = Record<string, string | string[]>;

/** The empty TwiML answer: the message was received, Twilio has nothing to send back on its own. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** Options for {@link registerTwilioWebhooks}. */
export interface TwilioWebhookOptions {
  authToken: string;
  /** The URL Twilio reaches us at; signatures are computed on it plus the request path. */
  publicUrl: string;
  log: Logger;
  /** Stores a delivery report; null when no message has that provider id (yet). */
  recordDeliveryStatus: (report: DeliveryStatus) => Promise<{ applied: boolean; status: string } | null>;
  /** Waits between attempts to match a status callback that overtook the record of its send (ms). Default 100, 300, 900. */
  statusRetryDelaysMs?: number[];
}

function parseForm(body: string): FormParams {
  // No prototype: a field named `__proto__` is a field like any other.
  const params = Object.create(null) as FormParams;
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

/** A form field as Tamtam reads it: the first value of a repeated field. */
const first = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v[0]! : v));
/** A Twilio resource sid: letters and digits (`SM` + 32 hex digits today). */
const sid = first.pipe(z.string().regex(/^[A-Za-z0-9]{2,64}$/, 'must be a Twilio sid (letters and digits)'));
const phone = first.pipe(
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u, 'must be an address without control characters'),
);

/** The fields of an inbound SMS that Tamtam reads (Twilio sends many more; they pass through). */
const inboundSmsForm = z
  .object({ MessageSid: sid.optional(), SmsMessageSid: sid.optional(), From: phone, Body: first.optional() })
  .refine((f) => f.MessageSid ?? f.SmsMessageSid, { message: 'missing', path: ['MessageSid'] })
  .transform((f) => ({ messageSid: (f.MessageSid ?? f.SmsMessageSid)!, from: f.From, body: f.Body ?? '' }));

/** The fields of a delivery status callback that Tamtam reads. */
const statusForm = z
  .object({
    MessageSid: sid.optional(),
    SmsSid: sid.optional(),
    MessageStatus: first.pipe(z.string().regex(/^[a-z_]{1,32}$/, 'must be a Twilio message status')).optional(),
    SmsStatus: first.pipe(z.string().regex(/^[a-z_]{1,32}$/, 'must be a Twilio message status')).optional(),
    ErrorCode: first.pipe(z.string().regex(/^\d{0,10}$/, 'must be a number')).optional(),
  })
  .refine((f) => f.MessageSid ?? f.SmsSid, { message: 'missing', path: ['MessageSid'] })
  .refine((f) => f.MessageStatus ?? f.SmsStatus, { message: 'missing', path: ['MessageStatus'] })
  .transform((f) => ({ messageSid: (f.MessageSid ?? f.SmsSid)!, status: (f.MessageStatus ?? f.SmsStatus)!, errorCode: f.ErrorCode || null }));

/** The form's fields as `schema` reads them, or the first problem in one line (`From: missing`). */
function readForm<T>(schema: z.ZodType<T>, params: FormParams): { data: T } | { error: string } {
  const parsed = schema.safeParse(params);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return { error: `${issue.path.join('.') || 'form'}: ${missing ? 'missing' : issue.message}` };
}

const formType = 'application/x-www-form-urlencoded';

/**
 * Registers `POST /webhooks/twilio/sms` (inbound messages) and `POST /webhooks/twilio/status`
 * (delivery reports). Both refuse a missing or forged `X-Twilio-Signature` with 403.
 */
export function registerTwilioWebhooks(app: FastifyInstance, intake: Intake, options: TwilioWebhookOptions): void {
  const { authToken, publicUrl, log } = options;
  const delays = options.statusRetryDelaysMs ?? [100, 300, 900];

  /**
   * True when Twilio signed this form; otherwise answers and logs why (never the sender): 415 for a
   * body that is not a form (Twilio's never is: a malformed request, not a forgery), 403 for a
   * missing or wrong signature.
   */
  function verified(request: FastifyRequest, reply: FastifyReply): boolean {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== formType) {
      log.info({ path: request.routeOptions.url, contentType: type || null }, 'malformed Twilio webhook: not a form');
      void reply.code(415).send({ error: `Twilio webhooks are form-encoded (${formType})` });
      return false;
    }
    const signature = request.headers['x-twilio-signature'];
    const params = (request.body ?? {}) as FormParams;
    const reason =
      typeof signature !== 'string' || signature === ''
        ? 'missing X-Twilio-Signature'
        : twilio.validateRequest(authToken, signature, `${publicUrl}${request.url}`, params)
          ? null
          : 'invalid X-Twilio-Signature';
    if (reason === null) return true;
    log.warn({ path: request.routeOptions.url, ip: request.ip, reason }, 'refused Twilio webhook');
    void reply.code(403).send({ error: reason });
    return false;
  }

  // Encapsulated: the form parser applies to these routes only. Fastify has no form parser of its
  // own, and a few lines of URLSearchParams spare a dependency (@fastify/formbody does the same).
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseForm(body as string));
    });

    scope.post('/webhooks/twilio/sms', async (request, reply) => {
      if (!verified(request, reply)) return reply;
      const form = readForm(inboundSmsForm, request.body as FormParams);
      if ('error' in form) return reply.code(400).send({ error: form.error });
      const { messageSid, from, body } = form.data;
      const { duplicate } = await intake({ channel: 'sms', providerMessageId: messageSid, from, text: body, receivedAt: new Date() });
      log.debug({ messageSid, duplicate }, 'Twilio message received');
      return reply.code(200).type('text/xml').send(EMPTY_TWIML);
    });

    scope.post('/webhooks/twilio/status', async (request, reply) => {
      if (!verified(request, reply)) return reply;
      const form = readForm(statusForm, request.body as FormParams);
      if ('error' in form) return reply.code(400).send({ error: form.error });
      const { messageSid, status, errorCode } = form.data;
      const report = { channel: 'sms', providerMessageId: messageSid, status, errorCode };
      // A fast callback may overtake the send job recording the sid: look again shortly before giving up.
      let outcome = await options.recordDeliveryStatus(report);
      for (const delay of delays) {
        if (outcome) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
        outcome = await options.recordDeliveryStatus(report);
      }
      if (!outcome) log.info({ messageSid, status }, 'Twilio status for a message Tamtam does not know');
      else if (outcome.applied && (status === 'undelivered' || status === 'failed'))
        log.warn({ messageSid, status, errorCode }, 'Twilio could not deliver an SMS it had accepted');
      else log.debug({ messageSid, reported: status, status: outcome.status, applied: outcome.applied }, 'Twilio delivery status');
      return reply.code(204).send();
    });
  });
}
