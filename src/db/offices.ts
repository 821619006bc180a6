import { eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';
import { fieldOffices, officers } from './schema/index.js';
import type { Deployment } from '../deployment/schema.js';
import { rowMapper, selectList, statement } from './statement.js';

export type FieldOfficeRow = typeof fieldOffices.$inferSelect;
export type OfficerRow = typeof officers.$inferSelect;

/** An office of the deployment file as its row in `field_offices` (what `syncDeployment` writes). */
export function officeRowOf(office: Deployment['fieldOffices'][number]): FieldOfficeRow {
  return {
    id: office.id,
    name: office.name,
    area: office.area,
    lat: office.location?.[0] ?? null,
    lon: office.location?.[1] ?? null,
    telegramChatId: office.telegramChatId === undefined ? null : String(office.telegramChatId),
    escalationPolicy: office.escalation,
    triage: office.triage,
    active: true,
  };
}

/**
 * An office as the workflow needs it: from the deployment file this process loaded (and
 * synchronised into the table at start), else, for an office since removed from the file, its row.
 */
export async function officeFor(db: DbOrTx, deployment: Deployment, id: string): Promise<FieldOfficeRow | null> {
  const office = deployment.fieldOffices.find((o) => o.id === id);
  return office ? officeRowOf(office) : getOffice(db, id);
}

/**
 * Makes the offices and officers tables match the deployment file. Offices and officers that left
 * the file are deactivated, not deleted: alerts and events keep pointing at them.
 */
export async function syncDeployment(db: Db, deployment: Deployment): Promise<void> {
  await db.transaction(async (tx) => {
    for (const office of deployment.fieldOffices) {
      const values = officeRowOf(office);
      await tx.insert(fieldOffices).values(values).onConflictDoUpdate({ target: fieldOffices.id, set: values });
    }
    await tx
      .update(fieldOffices)
      .set({ active: false })
      .where(
        notInArray(
          fieldOffices.id,
          deployment.fieldOffices.map((o) => o.id),
        ),
      );
    const ids = deployment.officers.map((o) => o.id);
    // Free telegram ids and phones first: an officer may take over another's number in the same edit.
    await tx
      .update(officers)
      .set({ telegramId: null, phone: null, active: false })
      .where(ids.length ? notInArray(officers.id, ids) : undefined);
    if (ids.length) await tx.update(officers).set({ telegramId: null, phone: null }).where(inArray(officers.id, ids));
    for (const o of deployment.officers) {
      const values = {
        id: o.id,
        name: o.name,
        officeId: o.office,
        role: o.role,
        telegramId: o.telegramId ?? null,
        phone: o.phone ?? null,
        language: o.language ?? deployment.defaultLanguage,
        active: true,
        updatedAt: new Date(),
      };
      await tx
        .insert(officers)
        .values(values)
        .onConflictDoUpdate({
          target: officers.id,
          set: { ...values, language: sql`case when ${officers.languageChosen} then ${officers.language} else excluded.language end` },
        });
    }
  });
}

export async function activeOffices(db: DbOrTx): Promise<FieldOfficeRow[]> {
  return db.select().from(fieldOffices).where(eq(fieldOffices.active, true));
}

const toOfficeRow = rowMapper(fieldOffices);
const toOfficerRow = rowMapper(officers);
const officeById = statement('get_office', `select ${selectList(fieldOffices)} from field_offices where id = $1`);
const activeOfficer = (name: string, where: string) => statement(name, `select ${selectList(officers)} from officers where active and ${where}`);
const officerById = activeOfficer('get_officer', 'id = $1');
const officerWithPhone = activeOfficer('officer_by_phone', 'phone = $1');
const officerWithTelegramId = activeOfficer('officer_by_telegram_id', 'telegram_id = $1');
// A null filter matches everyone: one statement for every combination.
const officersMatching = activeOfficer(
  'find_officers',
  '($1::text is null or office_id = $1) and ($2::text[] is null or role = any($2)) and ($3::text[] is null or id = any($3)) order by id',
);

export async function getOffice(db: DbOrTx, id: string): Promise<FieldOfficeRow | null> {
  const [row] = await officeById(db, [id]);
  return row ? toOfficeRow(row) : null;
}

const firstOfficer = (rows: Record<string, unknown>[]) => (rows[0] ? toOfficerRow(rows[0]) : null);

export async function getOfficer(db: DbOrTx, id: string): Promise<OfficerRow | null> {
  return firstOfficer(await officerById(db, [id]));
}

export async function officerByPhone(db: DbOrTx, phone: string): Promise<OfficerRow | null> {
  return firstOfficer(await officerWithPhone(db, [phone]));
}

export async function officerByTelegramId(db: DbOrTx, telegramId: number): Promise<OfficerRow | null> {
  return firstOfficer(await officerWithTelegramId(db, [telegramId]));
}

/** Active officers of an office (optionally of some roles), or of some roles mission-wide. */
export async function findOfficers(db: DbOrTx, filter: { officeId?: string; roles?: string[]; ids?: string[] }): Promise<OfficerRow[]> {
  const rows = await officersMatching(db, [filter.officeId ?? null, filter.roles ?? null, filter.ids ?? null]);
  return rows.map(toOfficerRow);
}

export async function setOfficerLanguage(db: DbOrTx, id: string, language: string): Promise<void> {
  await db.update(officers).set({ language, languageChosen: true, updatedAt: new Date() }).where(eq(officers.id, id));
}
