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

/**
 * Finds the reporter behind an address, registering a first-time reporter (unregistered, so
 * anyone may warn). Safe under concurrency: two first messages at once make one focal point.
 */
export async function findOrCreateFocalPoint(
  db: DbOrTx,
  pii: Pii,
  address: ReporterAddress,
  extra: { name?: string; placeId?: number | null; language?: string | null; registered?: boolean; silent?: boolean } = {},
): Promise<FocalPointRow> {
  const key = `${address.kind}:${address.value}`;
  const hash = pii.hash(key);
  for (const length of [4, 6, 8, 12]) {
    const existing = await findFocalPoint(db, pii, address);
    if (existing) return existing;
    const sealed = pii.encrypt(address.value);
    const [row] = await db
      .insert(focalPoints)
      .values({
        pseudonym: pii.pseudonym(key, length),
        ...(address.kind === 'phone' ? { phoneHash: hash, phoneEnc: sealed } : { telegramHash: hash, telegramEnc: sealed }),
        nameEnc: extra.name ? pii.encrypt(extra.name) : null,
        placeId: extra.placeId ?? null,
        language: extra.language ?? null,
        registered: extra.registered ?? false,
        silent: extra.silent ?? false,
      })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    // Either someone registered this address meanwhile (found on the next pass) or the
    // pseudonym collided with another reporter's: try a longer one.
  }
  throw new Error('could not register the reporter: pseudonym space exhausted');
}

export async function updateFocalPoint(db: DbOrTx, id: number, set: Partial<typeof focalPoints.$inferInsert>): Promise<void> {
  await db.update(focalPoints).set({ ...set, updatedAt: new Date() }).where(eq(focalPoints.id, id));
}

export async function getFocalPoint(db: DbOrTx, id: number): Promise<FocalPointRow | null> {
  const [row] = await byId(db, [id]);
  return row ? toFocalPointRow(row) : null;
}
