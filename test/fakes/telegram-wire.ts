import type { IncomingMessage } from 'node:http';

/** Parameters of a Bot API call, decoded from whichever encoding the client used. */
export type BotApiParams = Record<string, unknown>;

/** A file uploaded in a multipart call (grammY sends `InputFile`s this way). */
export interface UploadedFile {
  field: string;
  filename: string;
  size: number;
}

// Fields the Bot API reads as integers; form and multipart bodies carry them as text.
const INTEGER_FIELDS = new Set([
  'chat_id',
  'message_id',
  'reply_to_message_id',
  'message_thread_id',
  'offset',
  'limit',
  'timeout',
  'cache_time',
  'from_chat_id',
  'user_id',
  'max_connections',
]);

/** Turns a text value into what the Bot API would understand: JSON objects/arrays, integers, booleans. */
function coerce(key: string, value: string): unknown {
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** Parses `multipart/form-data` the way the Bot API does (grammY writes lower-case, unquoted-filename headers). */
function parseMultipart(body: Buffer, boundary: string): { params: BotApiParams; files: UploadedFile[] } {
  const params: BotApiParams = {};
  const files: UploadedFile[] = [];
  const raw = body.toString('latin1');
  for (const chunk of raw.split(`--${boundary}`)) {
    const part = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '');
    if (part === '' || part.startsWith('--')) continue;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const content = Buffer.from(part.slice(split + 4), 'latin1');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) continue;
    const filename = /filename="?([^";\r\n]*)"?/i.exec(headers)?.[1];
    if (filename !== undefined) files.push({ field: name, filename, size: content.length });
    else params[name] = coerce(name, content.toString('utf8'));
  }
  return { params, files };
}

/** Decodes a Bot API request: query string, then JSON, urlencoded or multipart body. */
export function parseBotApiRequest(req: IncomingMessage, body: Buffer): { params: BotApiParams; files: UploadedFile[] } {
  const url = new URL(req.url ?? '/', 'http://fake');
  const params: BotApiParams = {};
  for (const [key, value] of url.searchParams) params[key] = coerce(key, value);
  const type = req.headers['content-type'] ?? '';
  if (body.length === 0) return { params, files: [] };
  if (type.startsWith('application/json')) {
    return { params: { ...params, ...(JSON.parse(body.toString('utf8')) as BotApiParams) }, files: [] };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = coerce(key, value);
    return { params, files: [] };
  }
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (type.startsWith('multipart/form-data') && boundary) {
    const parsed = parseMultipart(body, boundary);
    return { params: { ...params, ...parsed.params }, files: parsed.files };
  }
  return { params, files: [] };
}

/** Telegram `User` for a bot whose token starts with `botId:`. */
export function botUser(botId: number, username: string) {
  return {
    id: botId,
    is_bot: true,
    first_name: 'Tamtam',
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  };
}

/** Telegram `Chat` for an id: positive ids are private chats, `-100…` supergroups, other negatives groups. */
export function chatFor(chatId: number | string) {
  if (typeof chatId === 'string' && chatId.startsWith('@')) {
    return { id: -1001000000000 - chatId.length, title: chatId.slice(1), username: chatId.slice(1), type: 'channel' as const };
  }
  const id = Number(chatId);
  if (id > 0) return { id, first_name: `User ${id}`, type: 'private' as const };
  if (String(id).startsWith('-100')) return { id, title: `Group ${id}`, type: 'supergroup' as const };
  return { id, title: `Group ${id}`, type: 'group' as const, all_members_are_administrators: true };
}

/** A Bot API error body (`{ ok: false, error_code, description, parameters? }`). */
export interface BotApiError {
  status: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Error bodies as Telegram words them. */
export const botApiErrors = {
  unauthorized: { status: 401, description: 'Unauthorized' },
  notFound: { status: 404, description: 'Not Found' },
  tooManyRequests: (retryAfter: number): BotApiError => ({
    status: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  internal: { status: 500, description: 'Internal Server Error' },
  blocked: { status: 403, description: 'Forbidden: bot was blocked by the user' },
  chatNotFound: { status: 400, description: 'Bad Request: chat not found' },
  textEmpty: { status: 400, description: 'Bad Request: message text is empty' },
  messageToEditNotFound: { status: 400, description: 'Bad Request: message to edit not found' },
  notModified: {
    status: 400,
    description:
      'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  },
  webhookActive: {
    status: 409,
    description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  },
} satisfies Record<string, BotApiError | ((n: number) => BotApiError)>;
