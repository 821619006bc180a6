import { keptUpdate, readTelegramUpdate } from '../../channels/telegram-update.js';
import type { Db } from '../../db/index.js';
import { sealStoredInboundMeta, type InboundRow } from '../../db/inbound.js';
import type { Pii } from '../../pii.js';

/**
 * What a channel kept of a message besides its text (a Telegram update: the chat, the card replied
 * to, the button pressed) holds the sender's id: it is stored sealed with PII_KEY, like the sender's
 * address (`from_enc`), as `{ "sealed": "v1:…" }`. Empty stays empty.
 */
export function sealInboundMeta(pii: Pii, meta: Record<string, unknown>): Record<string, unknown> {
  return Object.keys(meta).length === 0 ? {} : { sealed: pii.encrypt(JSON.stringify(meta)) };
}

/**
 * Seals what was stored in the clear before meta was sealed (an upgrade's first start): each update
 * kept as `keptUpdate` keeps it (no names), then sealed. Returns how many messages were sealed.
 */
export function sealLegacyInboundMeta(db: Db, pii: Pii): Promise<number> {
  return sealStoredInboundMeta(db, (meta) => {
    const read = readTelegramUpdate(meta.update);
    return sealInboundMeta(pii, 'error' in read ? meta : { ...meta, update: keptUpdate(read.update) });
  });
}

/** A stored message's meta, opened; a message stored before meta was sealed is read as it was stored. */
export function inboundMeta(pii: Pii, message: Pick<InboundRow, 'meta'>): Record<string, unknown> {
  const meta = message.meta as Record<string, unknown>;
  return typeof meta.sealed === 'string' ? (JSON.parse(pii.decrypt(meta.sealed)) as Record<string, unknown>) : meta;
}
