/**
 * A fake Twilio REST API for tests, over real HTTP:
 *   const sms = await startFakeTwilio();
 *   const client = createTwilioClient({ accountSid: sms.accountSid, authToken: sms.authToken, apiBase: sms.url });
 *   sms.failNext(twilioErrors.tooManyRequests);
 *   const message = await sms.waitForMessage((m) => m.to === '+22376000001');
 *   await sms.close(); // in afterEach
 */
import type { ServerResponse } from 'node:http';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { countSegments } from '../../src/channels/sms-segments.js';
import { CallLog, FailurePlan, sendJson, startFakeServer, type FakeServer, type Recorded } from './http-fake.js';
import { signedTwilioWebhook, statusCallbackParams, twilioSid } from './sign.js';

/** One request the fake received; `resource` is the message it created, if any. */
export interface TwilioCall extends Recorded {
  method: string;
  path: string;
  /** Whether HTTP Basic auth matched the account. */
  authorized: boolean;
  params: Record<string, string>;
  resource?: TwilioMessage;
}

/** A Message resource as the REST API returns it (snake_case, strings for counts). */
export interface TwilioMessage {
  sid: string;
  account_sid: string;
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  body: string;
  status: string;
  num_segments: string;
  num_media: string;
  direction: 'outbound-api';
  api_version: '2010-04-01';
  price: string | null;
  price_unit: string;
  error_code: number | null;
  error_message: string | null;
  date_created: string;
  date_updated: string;
  date_sent: string | null;
  uri: string;
  subresource_uris: { media: string; feedback: string };
  /** Not part of the resource: the StatusCallback the client asked for (kept for {@link FakeTwilio.sendStatus}). */
  status_callback?: string;
}

/** A Twilio error body: `{ code, message, more_info, status }`. */
export interface TwilioFailure {
  status: number;
  code: number;
  message: string;
}

/** Error bodies worded as Twilio words them. */
export const twilioErrors = {
  authenticate: { status: 401, code: 20003, message: 'Authenticate' },
  tooManyRequests: { status: 429, code: 20429, message: 'Too Many Requests' },
  internal: { status: 500, code: 20500, message: 'Internal Server Error' },
  invalidTo: (to: string): TwilioFailure => ({ status: 400, code: 21211, message: `Invalid 'To' Phone Number: ${to}` }),
  unsubscribed: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
} as const;

/** A running fake Twilio REST API; pass its `url` as `apiBase` to `createTwilioClient`. */
export interface FakeTwilio extends FakeServer {
  readonly accountSid: string;
  readonly authToken: string;
  readonly log: CallLog<TwilioCall>;
  /** Messages created so far, oldest first. */
  messages(): TwilioMessage[];
  /** Waits for a created message matching `predicate`. */
  waitForMessage(predicate?: (message: TwilioMessage) => boolean, timeoutMs?: number): Promise<TwilioMessage>;
  /** Makes the next `times` message creations fail with this error. */
  failNext(failure: TwilioFailure, times?: number): void;
  /** Every later message to `to` fails with `failure` (default: 21211 invalid number). */
  rejectNumber(to: string, failure?: TwilioFailure): void;
  /**
   * Posts a signed status callback for a created message to its StatusCallback URL, as Twilio does
   * when the carrier reports; resolves with the HTTP status the receiver answered.
   */
  sendStatus(sid: string, status: 'sent' | 'delivered' | 'undelivered' | 'failed', errorCode?: number): Promise<number>;
}

const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');

function sendError(res: ServerResponse, { status, code, message }: TwilioFailure): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

/** Starts a fake Twilio REST API (`/2010-04-01/Accounts/<sid>/Messages.json`) on a free 127.0.0.1 port. */
export async function startFakeTwilio(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? twilioSid('AC');
  const authToken = options.authToken ?? 'fake-auth-token-0123456789abcdef';
  const expectedAuth = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');
  const log = new CallLog<TwilioCall>();
  const failures = new FailurePlan<TwilioFailure>();
  const rejected = new Map<string, TwilioFailure>();
  const created = new Map<string, TwilioMessage>();

  function validate(p: Record<string, string>): TwilioFailure | undefined {
    if (!p.To) return { status: 400, code: 21604, message: "A 'To' phone number is required." };
    if (!p.From && !p.MessagingServiceSid) return { status: 400, code: 21603, message: "A 'From' phone number is required." };
    if (!p.Body && !p.MediaUrl) return { status: 400, code: 21602, message: 'Message body is required.' };
    if ((p.Body ?? '').length > 1600) {
      return { status: 400, code: 21617, message: 'The concatenated message body exceeds the 1600 character limit.' };
    }
    const to = p.To.replace(/^whatsapp:/, '');
    if (!parsePhoneNumberFromString(to)?.isValid()) return twilioErrors.invalidTo(p.To);
    return rejected.get(p.To) ?? failures.take('create');
  }

  function createMessage(p: Record<string, string>): TwilioMessage {
    const sid = twilioSid('SM');
    const now = rfc2822(new Date());
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
    return {
      sid,
      account_sid: accountSid,
      to: p.To ?? '',
      from: p.From ?? null,
      messaging_service_sid: p.MessagingServiceSid ?? null,
      body: p.Body ?? '',
      // Twilio answers `accepted` when a Messaging Service will pick the sender, else `queued`.
      status: p.MessagingServiceSid && !p.From ? 'accepted' : 'queued',
      num_segments: String(countSegments(p.Body ?? '')),
      num_media: '0',
      direction: 'outbound-api',
      api_version: '2010-04-01',
      price: null,
      price_unit: 'USD',
      error_code: null,
      error_message: null,
      date_created: now,
      date_updated: now,
      date_sent: null,
      uri: `${uri}.json`,
      subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
      ...(p.StatusCallback ? { status_callback: p.StatusCallback } : {}),
    };
  }

  const publicView = ({ status_callback: _callback, ...resource }: TwilioMessage) => resource;

  const server = await startFakeServer((req, body, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const authorized = req.headers.authorization === expectedAuth;
    const call: TwilioCall = { method: req.method ?? 'GET', path, authorized, params, at: new Date() };
    const route = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages(?:\/(SM[0-9a-f]{32}))?\.json$/.exec(path);
    if (!authorized || (route && route[1] !== accountSid)) {
      log.push(call);
      return sendError(res, twilioErrors.authenticate);
    }
    const fetched = route?.[2] ? created.get(route[2]) : undefined;
    if (route && !route[2] && req.method === 'POST') {
      const failure = validate(params);
      if (failure) {
        log.push(call);
        return sendError(res, failure);
      }
      call.resource = createMessage(params);
      created.set(call.resource.sid, call.resource);
      log.push(call);
      return sendJson(res, 201, publicView(call.resource));
    }
    log.push(call);
    if (fetched && req.method === 'GET') return sendJson(res, 200, publicView(fetched));
    sendError(res, { status: 404, code: 20404, message: `The requested resource ${path} was not found` });
  });

  return {
    ...server,
    accountSid,
    authToken,
    log,
    messages: () => [...created.values()],
    waitForMessage: async (predicate = () => true, timeoutMs) =>
      (
        await log.waitFor(
          (c) => c.resource !== undefined && predicate(c.resource),
          timeoutMs,
          (c) => `${c.method} ${c.path} ${JSON.stringify(c.params)}`,
        )
      ).resource as TwilioMessage,
    failNext: (failure, times) => failures.add('create', failure, times),
    rejectNumber: (to, failure = twilioErrors.invalidTo(to)) => void rejected.set(to, failure),
    async sendStatus(sid, status, errorCode) {
      const message = created.get(sid);
      if (!message?.status_callback) throw new Error(`message ${sid} unknown or sent without StatusCallback`);
      message.status = status;
      message.date_updated = rfc2822(new Date());
      if (errorCode !== undefined) message.error_code = errorCode;
      const params = statusCallbackParams({
        messageSid: sid,
        status,
        to: message.to,
        from: message.from ?? '',
        accountSid,
        ...(errorCode !== undefined ? { errorCode } : {}),
      });
      const request = signedTwilioWebhook(authToken, message.status_callback, params);
      const response = await fetch(message.status_callback, { method: 'POST', headers: request.headers, body: request.payload });
      await response.arrayBuffer();
      return response.status;
    },
  };
}
