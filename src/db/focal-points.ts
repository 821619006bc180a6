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

const insertFocalPoints = statement(
  'insert_focal_points',
  `insert into focal_points (pseudonym, phone_hash, phone_enc, telegram_hash, telegram_enc)
   select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
   on conflict do nothing
   returning ${selectList(focalPoints)}`,
);

/**
 * Registers first-time reporters (unregistered, as `registerFocalPoint` does) in one statement,
 * one per distinct address. An address someone registered meanwhile, or whose pseudonym collides
 * with another reporter's, goes through `registerFocalPoint`. Returns the rows in the order given.
 */
export async function registerFocalPoints(
  db: DbOrTx,
  pii: Pii,
  addresses: (ReporterAddress & {
    /** The address's lookup hash and sealed value when the caller has them (the intake made them). */
    known?: { hash: string; sealed: string };
  })[],
): Promise<FocalPointRow[]> {
  if (addresses.length === 0) return [];
  const keys = addresses.map((a) => `${a.kind}:${a.value}`);
  const hashes = addresses.map((a, i) => a.known?.hash ?? pii.hash(keys[i]!));
  const sealed = addresses.map((a) => a.known?.sealed ?? pii.encrypt(a.value));
  const phone = addresses.map((a) => a.kind === 'phone');
  const rows = await insertFocalPoints(db, [
    keys.map((k) => pii.pseudonym(k)),
    hashes.map((h, i) => (phone[i] ? h : null)),
    sealed.map((s, i) => (phone[i] ? s : null)),
    hashes.map((h, i) => (phone[i] ? null : h)),
    sealed.map((s, i) => (phone[i] ? null : s)),
  ]);
  const byHash = new Map(rows.map(toFocalPointRow).map((row) => [row.phoneHash ?? row.telegramHash, row]));
  const registered: FocalPointRow[] = [];
  for (const [i, { kind, value }] of addresses.entries())
    registered.push(byHash.get(hashes[i]!) ?? (await registerFocalPoint(db, pii, { kind, value } as ReporterAddress)));
  return registered;
}

const learnLanguages = statement(
  'learn_reporter_languages',
  `update focal_points f set language = v.language, updated_at = now()
     from unnest($1::int[], $2::text[]) as v(id, language)
    where f.id = v.id and f.language is null`,
);

/** Records the languages reporters write in, unless one is already known (chosen or registered). */
export async function learnFocalPointLanguages(db: DbOrTx, learnt: { id: number; language: string }[]): Promise<void> {
  if (learnt.length === 0) return;
  await learnLanguages(db, [learnt.map((l) => l.id), learnt.map((l) => l.language)]);
}

/** Records the language a reporter writes in, unless one is already known (chosen or registered). */
export async function learnFocalPointLanguage(db: DbOrTx, id: number, language: string): Promise<void> {
  await learnFocalPointLanguages(db, [{ id, language }]);
}

export async function updateFocalPoint(db: DbOrTx, id: number, set: Partial<typeof focalPoints.$inferInsert>): Promise<void> {
  await db
    .update(focalPoints)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(focalPoints.id, id));
}

export async function getFocalPoint(db: DbOrTx, id: number): Promise<FocalPointRow | null> {
  const [row] = await byId(db, [id]);
  return row ? toFocalPointRow(row) : null;
}
