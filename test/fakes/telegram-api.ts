/**
 * A fake Telegram Bot API for tests, over real HTTP:
 *   const telegram = await startFakeTelegram();
 *   const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
 *   telegram.failNext('sendMessage', { status: 429, retryAfter: 3 });
 *   await telegram.waitForCall('sendMessage', (p) => p.chat_id === 111111);
 *   await telegram.close(); // in afterEach
 */
import type { Message, Update } from 'grammy/types';
import { CallLog, FailurePlan, sendJson, startFakeServer, type FakeServer, type Recorded } from './http-fake.js';
import { botApiErrors, botUser, chatFor, parseBotApiRequest, type BotApiError, type BotApiParams, type UploadedFile } from './telegram-wire.js';

/** One Bot API call as the fake received it. */
export interface TelegramCall extends Recorded {
  method: string;
  token: string;
  params: BotApiParams;
  files: UploadedFile[];
}

/** Failures the fake can be told to return: a 429 with `retry_after`, a 500, a 403 (blocked), or any error body. */
export type TelegramFailure = { status: 429; retryAfter: number } | { status: 500 } | { status: 403 } | BotApiError;

/** Options for {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** Token the fake accepts; others get 401. Default `123456789:AAFakeTokenForTamtamTests-0123456789`. */
  token?: string;
  /** Bot username reported by getMe. Default `tamtam_test_bot`. */
  username?: string;
  /** Longest a getUpdates long poll is held, whatever its `timeout`. Default 1000 ms. */
  maxLongPollMs?: number;
}

/** A running fake Bot API; point grammY at it with `client: { apiRoot: fake.apiRoot }`. */
export interface FakeTelegram extends FakeServer {
  /** Value for grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  readonly token: string;
  readonly log: CallLog<TelegramCall>;
  /** Calls of one method so far. */
  callsOf(method: string): TelegramCall[];
  /** Waits for a call of `method` whose params satisfy `predicate`. */
  waitForCall(method: string, predicate?: (params: BotApiParams) => boolean, timeoutMs?: number): Promise<TelegramCall>;
  /** Makes the next `times` calls of `method` (or `*` for any) fail. */
  failNext(method: string, failure: TelegramFailure, times?: number): void;
  /** Every later send/edit to this chat gets 403 "bot was blocked by the user". */
  blockChat(chatId: number): void;
  /** Queues an update for getUpdates; `update_id` is assigned if missing. Returns the update. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update;
  /** Messages the bot has in a chat, by message id, as last sent or edited. */
  messagesIn(chatId: number): Message[];
  /** URL last set with setWebhook, if any. */
  webhookUrl(): string | undefined;
  /**
   * POSTs an update to the webhook set with setWebhook, as Telegram does (JSON, with
   * `X-Telegram-Bot-Api-Secret-Token` when a `secret_token` was set); resolves with the HTTP status.
   */
  deliverWebhook(update: Update): Promise<number>;
}

type Result = { ok: true; result: unknown } | { ok: false; error: BotApiError };

function toError(failure: TelegramFailure): BotApiError {
  if ('description' in failure) return failure;
  if (failure.status === 429) return botApiErrors.tooManyRequests(failure.retryAfter);
  return failure.status === 500 ? botApiErrors.internal : botApiErrors.blocked;
}

/** Starts a fake Telegram Bot API on a free 127.0.0.1 port. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:AAFakeTokenForTamtamTests-0123456789';
  const me = botUser(Number(token.split(':')[0]), options.username ?? 'tamtam_test_bot');
  const maxLongPollMs = options.maxLongPollMs ?? 1000;
  const log = new CallLog<TelegramCall>();
  const failures = new FailurePlan<TelegramFailure>();
  const chats = new Map<string, { nextId: number; messages: Map<number, Message> }>();
  const blocked = new Set<string>();
  const updates: Update[] = [];
  const pollers = new Set<() => void>();
  let nextUpdateId = 100_000;
  let webhook: string | undefined;
  let webhookSecret: string | undefined;

  const chatState = (chatId: unknown) => {
    const key = String(chatId);
    let state = chats.get(key);
    if (!state) chats.set(key, (state = { nextId: 1, messages: new Map() }));
    return state;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const ok = (result: unknown): Result => ({ ok: true, result });
  const fail = (error: BotApiError): Result => ({ ok: false, error });

  function editMessage(p: BotApiParams, change: (m: Message) => Message): Result {
    if (p.inline_message_id !== undefined) return ok(true);
    if (blocked.has(String(p.chat_id))) return fail(botApiErrors.blocked);
    const current = chatState(p.chat_id).messages.get(Number(p.message_id));
    if (!current) return fail(botApiErrors.messageToEditNotFound);
    const next = change(current);
    if (JSON.stringify({ ...next, edit_date: 0 }) === JSON.stringify({ ...current, edit_date: 0 })) {
      return fail(botApiErrors.notModified);
    }
    const edited = { ...next, edit_date: now() } as Message;
    chatState(p.chat_id).messages.set(edited.message_id, edited);
    return ok(edited);
  }

  async function getUpdates(p: BotApiParams): Promise<Result> {
    if (webhook) return fail(botApiErrors.webhookActive);
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    if (offset > 0) updates.splice(0, updates.filter((u) => u.update_id < offset).length);
    const limit = typeof p.limit === 'number' ? p.limit : 100;
    const waitMs = Math.min(Number(p.timeout ?? 0) * 1000, maxLongPollMs);
    if (updates.length === 0 && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pollers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        pollers.add(done);
      });
    }
    return ok(updates.slice(0, limit));
  }

  async function dispatch(method: string, p: BotApiParams): Promise<Result> {
    const failure = failures.take(method);
    if (failure) return fail(toError(failure));
    switch (method) {
      case 'getMe':
        return ok(me);
      case 'sendMessage': {
        if (blocked.has(String(p.chat_id))) return fail(botApiErrors.blocked);
        if (p.chat_id === undefined || p.chat_id === '') return fail(botApiErrors.chatNotFound);
        if (typeof p.text !== 'string' || p.text.trim() === '') return fail(botApiErrors.textEmpty);
        const state = chatState(p.chat_id);
        const message = {
          message_id: state.nextId++,
          from: me,
          chat: chatFor(p.chat_id as number),
          date: now(),
          text: p.text,
          ...(p.reply_markup && typeof p.reply_markup === 'object' && 'inline_keyboard' in p.reply_markup ? { reply_markup: p.reply_markup } : {}),
        } as Message;
        state.messages.set(message.message_id, message);
        return ok(message);
      }
      case 'editMessageText':
        return editMessage(p, (m) => ({ ...m, text: p.text as string, reply_markup: p.reply_markup as Message['reply_markup'] }) as Message);
      case 'editMessageReplyMarkup':
        return editMessage(p, (m) => ({ ...m, reply_markup: p.reply_markup as Message['reply_markup'] }) as Message);
      case 'getUpdates':
        return getUpdates(p);
      case 'setWebhook':
        webhook = typeof p.url === 'string' && p.url !== '' ? p.url : undefined;
        webhookSecret = typeof p.secret_token === 'string' ? p.secret_token : undefined;
        return ok(true);
      case 'deleteWebhook':
        webhook = undefined;
        if (p.drop_pending_updates === true) updates.length = 0;
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: webhook ?? '', has_custom_certificate: false, pending_update_count: updates.length });
      case 'answerCallbackQuery':
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'sendChatAction':
        return ok(true);
      default:
        return fail(botApiErrors.notFound);
    }
  }

  const server = await startFakeServer(
    async (req, body, res) => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(new URL(req.url ?? '/', 'http://fake').pathname);
      if (!match) return sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, callToken = '', method = ''] = match;
      const { params, files } = parseBotApiRequest(req, body);
      log.push({ method, token: callToken, params, files, at: new Date() });
      const result = callToken === token ? await dispatch(method, params) : fail(botApiErrors.unauthorized);
      if (result.ok) return sendJson(res, 200, result);
      const { status, description, parameters } = result.error;
      sendJson(res, status, { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) });
    },
    () => pollers.forEach((release) => release()),
  );

  return {
    ...server,
    apiRoot: server.url,
    token,
    log,
    callsOf: (method) => log.filter((c) => c.method === method),
    waitForCall: (method, predicate = () => true, timeoutMs) =>
      log.waitFor(
        (c) => c.method === method && predicate(c.params),
        timeoutMs,
        (c) => `${c.method} ${JSON.stringify(c.params)}`,
      ),
    failNext: (method, failure, times) => failures.add(method, failure, times),
    blockChat: (chatId) => void blocked.add(String(chatId)),
    pushUpdate(partial) {
      const update = { ...partial, update_id: partial.update_id ?? nextUpdateId++ } as Update;
      updates.push(update);
      pollers.forEach((release) => release());
      return update;
    },
    messagesIn: (chatId) => [...(chats.get(String(chatId))?.messages.values() ?? [])],
    webhookUrl: () => webhook,
    async deliverWebhook(update) {
      if (!webhook) throw new Error('no webhook set: call setWebhook first');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (webhookSecret !== undefined) headers['x-telegram-bot-api-secret-token'] = webhookSecret;
      const response = await fetch(webhook, { method: 'POST', headers, body: JSON.stringify(update) });
      await response.arrayBuffer();
      return response.status;
    },
  };
}
