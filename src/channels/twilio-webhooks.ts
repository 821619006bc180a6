import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import twilio from 'twilio';
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
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

const field = (params: FormParams, name: string): string | undefined => {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Registers `POST /webhooks/twilio/sms` (inbound messages) and `POST /webhooks/twilio/status`
 * (delivery reports). Both refuse a missing or forged `X-Twilio-Signature` with 403.
 */
export function registerTwilioWebhooks(app: FastifyInstance, intake: Intake, options: TwilioWebhookOptions): void {
  const { authToken, publicUrl, log } = options;
  const delays = options.statusRetryDelaysMs ?? [100, 300, 900];

  /** True when Twilio signed this request; otherwise answers 403 and logs why (never the sender). */
  function verified(request: FastifyRequest, reply: FastifyReply): boolean {
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
      const params = request.body as FormParams;
      const messageSid = field(params, 'MessageSid') ?? field(params, 'SmsMessageSid');
      const from = field(params, 'From');
      if (!messageSid || !from) return reply.code(400).send({ error: `missing ${messageSid ? 'From' : 'MessageSid'}` });
      const { duplicate } = await intake({ channel: 'sms', providerMessageId: messageSid, from, text: field(params, 'Body') ?? '', receivedAt: new Date() });
      log.debug({ messageSid, duplicate }, 'Twilio message received');
      return reply.code(200).type('text/xml').send(EMPTY_TWIML);
    });

    scope.post('/webhooks/twilio/status', async (request, reply) => {
      if (!verified(request, reply)) return reply;
      const params = request.body as FormParams;
      const messageSid = field(params, 'MessageSid') ?? field(params, 'SmsSid');
      const status = field(params, 'MessageStatus') ?? field(params, 'SmsStatus');
      if (!messageSid || !status) return reply.code(400).send({ error: `missing ${messageSid ? 'MessageStatus' : 'MessageSid'}` });
      const report = { channel: 'sms', providerMessageId: messageSid, status, errorCode: field(params, 'ErrorCode') ?? null };
      // A fast callback may overtake the send job recording the sid: look again shortly before giving up.
      let outcome = await options.recordDeliveryStatus(report);
      for (const delay of delays) {
        if (outcome) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
        outcome = await options.recordDeliveryStatus(report);
      }
      if (!outcome) log.info({ messageSid, status }, 'Twilio status for a message Tamtam does not know');
      else log.debug({ messageSid, reported: status, status: outcome.status, applied: outcome.applied }, 'Twilio delivery status');
      return reply.code(204).send();
    });
  });
}
