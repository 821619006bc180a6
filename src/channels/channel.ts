import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Db } from '../db/index.js';
import type { Pii } from '../pii.js';

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
  /** Starts taking messages in once the HTTP server listens (web role): sets a webhook, or polls. */
  start?(intake: Intake): Promise<void>;
  /** Answers a button press (Telegram's callback query), outside the outbox; without text it only stops the button's spinner. */
  answerButton?(pressId: string, text: string | undefined, options: { alert: boolean }): Promise<void>;
  /**
   * Answers in a conversation at once, outside the outbox (an officer's Telegram command);
   * `forceReply` asks the client to open a reply to this message (a value to type).
   */
  reply?(chat: string, text: string, options?: { forceReply?: boolean }): Promise<void>;
  /** Replaces the buttons under a message already sent (`providerMessageId`), at once, outside the outbox: a card's correction keyboard. */
  editButtons?(providerMessageId: string, actions: { label: string; data: string }[]): Promise<void>;
  close?(): Promise<void>;
}

/** What a channel may use (built once in main.ts). */
export interface ChannelContext {
  /** Where providers reach this service (`PUBLIC_URL`): webhook URLs and signatures. */
  publicUrl: string;
  db: Db;
  pii: Pii;
  log: Logger;
  /** Checks the admin bearer token; answers 401/404 itself and returns false when refused. */
  authorize: (request: FastifyRequest, reply: FastifyReply) => boolean;
  /** Called for every simulator send (in-process observers: benchmarks). */
  onSimulatorSend?: (message: OutgoingMessage) => void;
}

/** A problem with a channel's environment, reported like every other configuration problem. */
export type ReportIssue = (variable: string, message: string) => void;

/**
 * A provider's adapter: the channel it serves, its environment variables, and how to build it.
 * Listed in `registry.ts`; its settings appear in the configuration under its registry key.
 */
export interface ChannelAdapter<Env extends z.ZodRawShape, Settings> {
  readonly channel: ChannelName;
  /** Its environment variables (validated with the rest of the environment). */
  readonly env: Env;
  /** Its settings from the validated environment; undefined when it is not configured (off). */
  settings(env: z.infer<z.ZodObject<Env>>): Settings | undefined;
  /** Checks across its variables (e.g. one needs another); run even when another variable is bad. */
  check?(env: z.infer<z.ZodObject<Env>>, report: ReportIssue): void;
  /** Builds the channel; an adapter imports its provider's library here, so a process that leaves it off never loads it. */
  create(settings: Settings, context: ChannelContext): Channel | Promise<Channel>;
}

/** Declares an adapter (keeps its environment's and settings' types). */
export const channelAdapter = <Env extends z.ZodRawShape, Settings>(adapter: ChannelAdapter<Env, Settings>) => adapter;

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
