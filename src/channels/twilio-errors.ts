import { ChannelSendError } from './channel.js';

/**
 * Twilio error codes for a message that can never go out as asked, however often it is retried
 * (https://www.twilio.com/docs/api/errors).
 */
export const permanentTwilioErrors: Record<number, string> = {
  21211: 'invalid To number',
  21214: 'To number cannot be reached',
  21408: 'sending to this region is not enabled',
  21601: 'number is not SMS-capable',
  21602: 'message body is required',
  21603: 'From number is required',
  21604: 'To number is required',
  21606: 'From number cannot send to this number',
  21610: 'recipient has unsubscribed (STOP)',
  21612: 'To number is not reachable by SMS from this sender',
  21614: 'To number is not a mobile number',
  21617: 'message body too long',
  21659: 'From is not a Twilio number',
  21660: 'From number does not belong to the account',
  63003: 'WhatsApp: invalid To address',
  63016: 'WhatsApp: outside the 24-hour window, a template is required',
};

/** The parts of the twilio library's `RestException` (and of network errors) that decide a retry. */
interface TwilioFailure {
  status?: number;
  code?: number | string;
  message?: string;
}

// Twilio's messages quote the number (`Invalid 'To' Phone Number: +223…`): never let it reach logs or events.
const scrubNumbers = (text: string) => text.replace(/\+?\d[\d\s().-]{5,}\d/g, '[number]');

/**
 * Turns whatever a Twilio send threw into a {@link ChannelSendError}: permanent for the codes
 * above and any other HTTP 400 (the same request gets the same answer); transient for 429, 5xx,
 * authentication trouble and network errors. The message names the code, never the number.
 */
export function twilioSendError(error: unknown): ChannelSendError {
  const failure = (error ?? {}) as TwilioFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const code = failure.code === undefined ? undefined : Number(failure.code);
  if (status === undefined) {
    // No HTTP answer: connection refused, reset, DNS, timeout (axios error codes are not numbers).
    const reason = typeof failure.code === 'string' ? failure.code : scrubNumbers(failure.message ?? 'unknown error');
    return new ChannelSendError(`Twilio unreachable: ${reason}`, 'sms', false);
  }
  const known = code !== undefined ? permanentTwilioErrors[code] : undefined;
  const text = `Twilio ${code ?? '-'} (HTTP ${status}): ${known ?? scrubNumbers(failure.message ?? 'no message')}`;
  const permanent = known !== undefined || status === 400;
  return new ChannelSendError(text, 'sms', permanent);
}
