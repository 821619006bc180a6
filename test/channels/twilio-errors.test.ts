import { describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/channels/channel.js';
import { twilioSendError } from '../../src/channels/twilio-errors.js';

describe('Twilio send errors', () => {
  // What the twilio library throws: RestException { status, code, message } or an axios network error.
  it.each([
    ['invalid number', { status: 400, code: 21211, message: "Invalid 'To' Phone Number: +22376900001" }, true],
    ['unsubscribed (STOP)', { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' }, true],
    ['landline', { status: 400, code: 21614, message: "'To' number is not a valid mobile number" }, true],
    ['region not enabled', { status: 400, code: 21408, message: 'Permission to send an SMS has not been enabled for the region' }, true],
    ['another 400', { status: 400, code: 21999, message: 'Something about +223 76 90 00 01' }, true],
    ['rate limited', { status: 429, code: 20429, message: 'Too Many Requests' }, false],
    ['server error', { status: 500, code: 20500, message: 'Internal Server Error' }, false],
    ['bad gateway without a body', { status: 502 }, false],
    ['authentication', { status: 401, code: 20003, message: 'Authenticate' }, false],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), false],
    ['timeout', Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }), false],
  ])('%s', (_case, thrown, permanent) => {
    const error = twilioSendError(thrown);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ channel: 'sms', permanent });
    // Twilio quotes the number in some messages: it must not reach logs or alert events.
    expect(error.message).not.toMatch(/76\s?90/);
  });

  it('names the code and status', () => {
    expect(twilioSendError({ status: 400, code: 21211, message: "Invalid 'To' Phone Number: +22376900001" }).message).toBe(
      'Twilio 21211 (HTTP 400): invalid To number',
    );
    expect(twilioSendError({ status: 400, code: 21999, message: 'Bad +223 76 90 00 01' }).message).toBe('Twilio 21999 (HTTP 400): Bad [number]');
  });
});
