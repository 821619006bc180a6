import { eq } from 'drizzle-orm';
import type { Pii } from '../pii.js';
import type { DbOrTx } from './index.js';
import { focalPoints } from './schema/index.js';
import { rowMapper, selectList, statement } from './statement.js';

export type FocalPointRow = typeof focalPoints.$inferSelect;

const toFocalPointRow = rowMapper(focalPoints);
const byPhoneHash = statement('focal_point_by_phone', `select ${selectList(focalPoints)} from focal_points where phone_hash = $1`);
const byTelegramHash = statement('focal_point_by_telegram', `select ${selectList(focalPoints)} from focal_points where telegram_hash = $1`);
const byId = statement('get_focal_point', `select ${selectList(focalPoints)} from focal_points where id = $1`);

/** How a reporter is addressed: a phone number (SMS, WhatsApp, simulator) or a Telegram user id. */
export type ReporterAddress = { kind: 'phone'; value: string } | { kind: 'telegram'; value: string };

export async function findFocalPoint(db: DbOrTx, pii: Pii, address: ReporterAddress): Promise<FocalPointRow | null> {
  const [row] = await (address.kind === 'phone' ? byPhoneHash : byTelegramHash)(db, [pii.hash(`${address.kind}:${address.value}`)]);
  return row ? toFocalPointRow(row) : null;
}

const insertFocalPoint = statement(
  'insert_focal_point',
  `insert into focal_points (pseudonym, phone_hash, phone_enc, telegram_hash, telegram_enc, name_enc, place_id, language, registered, silent)
   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
   on conflict do nothing
   returning ${selectList(focalPoints)}`,
);

type RegisterExtra = { name?: string; placeId?: number | null; language?: string | null; registered?: boolean; silent?: boolean };

/**
 * Finds the reporter behind an address, registering a first-time reporter (unregistered, so
 * anyone may warn). Safe under concurrency: two first messages at once make one focal point.
 */
export async function findOrCreateFocalPoint(db: DbOrTx, pii: Pii, address: ReporterAddress, extra: RegisterExtra = {}): Promise<FocalPointRow> {
  return (await findFocalPoint(db, pii, address)) ?? registerFocalPoint(db, pii, address, extra);
}

/**
 * Registers a reporter not found under this address; if someone registered it meanwhile, returns
 * that focal point instead.
 */
export async function registerFocalPoint(db: DbOrTx, pii: Pii, address: ReporterAddress, extra: RegisterExtra = {}): Promise<FocalPointRow> {
  const key = `${address.kind}:${address.value}`;
  const hash = pii.hash(key);
  const sealed = pii.encrypt(address.value);
  const phone = address.kind === 'phone';
  for (const length of [4, 6, 8, 12]) {
    const [row] = await insertFocalPoint(db, [
      pii.pseudonym(key, length),
      phone ? hash : null,
      phone ? sealed : null,
      phone ? null : hash,
      phone ? null : sealed,
      extra.name ? pii.encrypt(extra.name) : null,
      extra.placeId ?? null,
      extra.language ?? null,
      extra.registered ?? false,
      extra.silent ?? false,
    ]);
    if (row) return toFocalPointRow(row);
    // Either someone registered this address meanwhile, or the pseudonym collided with another
    // reporter's: then try a longer one.
    const existing = await findFocalPoint(db, pii, address);
    if (existing) return existing;
  }
  throw new Error('could not register the reporter: pseudonym space exhausted');
}

const learnLanguage = statement('learn_reporter_language', `update focal_points set language = $2, updated_at = now() where id = $1 and language is null`);

/** Records the language a reporter writes in, unless one is already known (chosen or registered). */
export async function learnFocalPointLanguage(db: DbOrTx, id: number, language: string): Promise<void> {
  await learnLanguage(db, [id, language]);
}

export async function updateFocalPoint(db: DbOrTx, id: number, set: Partial<typeof focalPoints.$inferInsert>): Promise<void> {
  await db.update(focalPoints).set({ ...set, updatedAt: new Date() }).where(eq(focalPoints.id, id));
}

export async function getFocalPoint(db: DbOrTx, id: number): Promise<FocalPointRow | null> {
  const [row] = await byId(db, [id]);
  return row ? toFocalPointRow(row) : null;
}
