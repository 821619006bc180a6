import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from './index.js';
import { fieldOffices, officers } from './schema/index.js';
import type { Deployment } from '../deployment/schema.js';

export type FieldOfficeRow = typeof fieldOffices.$inferSelect;
export type OfficerRow = typeof officers.$inferSelect;

/**
 * Makes the offices and officers tables match the deployment file. Offices and officers that left
 * the file are deactivated, not deleted: alerts and events keep pointing at them.
 */
export async function syncDeployment(db: Db, deployment: Deployment): Promise<void> {
  await db.transaction(async (tx) => {
    for (const office of deployment.fieldOffices) {
      const values = {
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
      await tx.insert(fieldOffices).values(values).onConflictDoUpdate({ target: fieldOffices.id, set: values });
    }
    await tx
      .update(fieldOffices)
      .set({ active: false })
      .where(notInArray(fieldOffices.id, deployment.fieldOffices.map((o) => o.id)));
    const ids = deployment.officers.map((o) => o.id);
    // Free telegram ids and phones first: an officer may take over another's number in the same edit.
    await tx.update(officers).set({ telegramId: null, phone: null, active: false }).where(ids.length ? notInArray(officers.id, ids) : undefined);
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
        .onConflictDoUpdate({ target: officers.id, set: { ...values, language: sql`case when ${officers.languageChosen} then ${officers.language} else excluded.language end` } });
    }
  });
}

export async function activeOffices(db: DbOrTx): Promise<FieldOfficeRow[]> {
  return db.select().from(fieldOffices).where(eq(fieldOffices.active, true));
}

export async function getOffice(db: DbOrTx, id: string): Promise<FieldOfficeRow | null> {
  const [row] = await db.select().from(fieldOffices).where(eq(fieldOffices.id, id));
  return row ?? null;
}

export async function getOfficer(db: DbOrTx, id: string): Promise<OfficerRow | null> {
  const [row] = await db.select().from(officers).where(and(eq(officers.id, id), eq(officers.active, true)));
  return row ?? null;
}

export async function officerByPhone(db: DbOrTx, phone: string): Promise<OfficerRow | null> {
  const [row] = await db.select().from(officers).where(and(eq(officers.phone, phone), eq(officers.active, true)));
  return row ?? null;
}

export async function officerByTelegramId(db: DbOrTx, telegramId: number): Promise<OfficerRow | null> {
  const [row] = await db.select().from(officers).where(and(eq(officers.telegramId, telegramId), eq(officers.active, true)));
  return row ?? null;
}

/** Active officers of an office (optionally of some roles), or of some roles mission-wide. */
export async function findOfficers(db: DbOrTx, filter: { officeId?: string; roles?: string[]; ids?: string[] }): Promise<OfficerRow[]> {
  return db
    .select()
    .from(officers)
    .where(
      and(
        eq(officers.active, true),
        filter.officeId ? eq(officers.officeId, filter.officeId) : undefined,
        filter.roles ? inArray(officers.role, filter.roles) : undefined,
        filter.ids ? inArray(officers.id, filter.ids) : undefined,
      ),
    )
    .orderBy(officers.id);
}

export async function setOfficerLanguage(db: DbOrTx, id: string, language: string): Promise<void> {
  await db.update(officers).set({ language, languageChosen: true, updatedAt: new Date() }).where(eq(officers.id, id));
}
