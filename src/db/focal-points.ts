import { eq } from 'drizzle-orm';
import type { Pii } from '../pii.js';
import type { DbOrTx } from './index.js';
import { focalPoints } from './schema/index.js';

export type FocalPointRow = typeof focalPoints.$inferSelect;

/** How a reporter is addressed: a phone number (SMS, WhatsApp, simulator) or a Telegram user id. */
export type ReporterAddress = { kind: 'phone'; value: string } | { kind: 'telegram'; value: string };

function hashColumn(kind: ReporterAddress['kind']) {
  return kind === 'phone' ? focalPoints.phoneHash : focalPoints.telegramHash;
}

export async function findFocalPoint(db: DbOrTx, pii: Pii, address: ReporterAddress): Promise<FocalPointRow | null> {
  const [row] = await db.select().from(focalPoints).where(eq(hashColumn(address.kind), pii.hash(`${address.kind}:${address.value}`)));
  return row ?? null;
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
  const [row] = await db.select().from(focalPoints).where(eq(focalPoints.id, id));
  return row ?? null;
}
