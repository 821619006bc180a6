import type { Logger } from 'pino';
import type { Db } from '../db/index.js';
import { recordDeliveryStatus } from '../db/outbox.js';
import type { Channel } from './channel.js';
import { analyseSms } from './sms-segments.js';
import { createTwilioClient } from './twilio-client.js';
import { twilioSendError } from './twilio-errors.js';
import { registerTwilioWebhooks } from './twilio-webhooks.js';

/** Twilio settings, from TWILIO_* (README, "SMS"). */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  apiBase: string;
}

/** What the Twilio channel needs. */
export interface TwilioChannelOptions {
  config: TwilioConfig;
  /** Where Twilio reaches this service (`PUBLIC_URL`): webhook signatures and the StatusCallback. */
  publicUrl: string;
  db: Db;
  log: Logger;
}

/**
 * SMS (and WhatsApp) through Twilio. Sends with a StatusCallback so delivery reports come back to
 * `POST /webhooks/twilio/status`; receives on `POST /webhooks/twilio/sms`. A `whatsapp:+…`
 * address is sent from `whatsapp:<TWILIO_FROM>` (or the messaging service's WhatsApp sender).
 */
export function createTwilioChannel({ config, publicUrl, db, log }: TwilioChannelOptions): Channel {
  const client = createTwilioClient({ accountSid: config.accountSid, authToken: config.authToken, apiBase: config.apiBase });
  const statusCallback = `${publicUrl}/webhooks/twilio/status`;
  const channelLog = log.child({ channel: 'sms' });

  function sender(to: string): { from: string } | { messagingServiceSid: string } {
    if (config.messagingServiceSid) return { messagingServiceSid: config.messagingServiceSid };
    const from = config.from!;
    return { from: to.startsWith('whatsapp:') && !from.startsWith('whatsapp:') ? `whatsapp:${from}` : from };
  }

  return {
    name: 'sms',
    async send(message) {
      let sid: string;
      try {
        ({ sid } = await client.messages.create({ to: message.to, body: message.text, statusCallback, ...sender(message.to) }));
      } catch (error) {
        throw twilioSendError(error);
      }
      const { segments, encoding } = analyseSms(message.text);
      channelLog.debug({ outboundId: message.id, messageSid: sid, segments, encoding }, 'SMS sent');
      return { providerMessageId: sid };
    },
    registerRoutes(app, intake) {
      registerTwilioWebhooks(app, intake, {
        authToken: config.authToken,
        publicUrl,
        log: channelLog,
        recordDeliveryStatus: (report) => recordDeliveryStatus(db, report),
      });
    },
  };
}
