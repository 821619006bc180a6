import type { FastifyInstance } from 'fastify';

/** Channel names as stored on messages. `simulator` is the built-in channel for training and tests. */
export type ChannelName = 'sms' | 'telegram' | 'simulator';

/** A message that arrived from outside, as a channel hands it to Tamtam. */
export interface InboundMessage {
  channel: ChannelName;
  /** The provider's id (Twilio MessageSid, Telegram `update_id`): redeliveries carry the same one. */
  providerMessageId: string;
  /** The sender's address on that channel: E.164 phone (`+223…`, `whatsapp:+223…`) or Telegram user id. */
  from: string;
  text: string;
  receivedAt: Date;
  /** Channel-specific extras (e.g. Telegram `reply_to_message` id), kept with the message. */
  meta?: Record<string, unknown>;
}

/** What the workflow asks a channel to deliver. */
export interface OutgoingMessage {
  /** Row id in `outbound_messages`: the idempotency key for the send. */
  id: number;
  /** Address on the channel (phone number, Telegram chat id, simulator address). */
  to: string;
  text: string;
  /** Optional inline actions (Telegram buttons); channels without buttons ignore them. */
  actions?: { label: string; data: string }[];
  /** When set, edit this previously sent provider message instead of sending a new one. */
  replaceProviderMessageId?: string;
}

export interface SendResult {
  providerMessageId: string;
}

/**
 * Hands inbound messages to the workflow. Resolves once the message is persisted (so a webhook may
 * acknowledge the provider); `duplicate` is true for a redelivery that changed nothing.
 */
export type Intake = (message: InboundMessage) => Promise<{ duplicate: boolean }>;

/**
 * A messaging channel: one file per provider, registered in `registry.ts`.
 * A send that fails throws; `ChannelSendError.permanent` says whether retrying can help.
 */
export interface Channel {
  readonly name: ChannelName;
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Registers the channel's webhooks on the HTTP server (web role). */
  registerRoutes?(app: FastifyInstance, intake: Intake): void;
  close?(): Promise<void>;
}

/** A send that failed; `permanent` when retrying cannot help (bad number, blocked bot). */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly channel: ChannelName,
    readonly permanent: boolean,
    /** Seconds the provider asked us to wait (Telegram `retry_after`, HTTP Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}
