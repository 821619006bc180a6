import { getTableColumns } from 'drizzle-orm';
import type { AlertStatus } from '../domain/taxonomy.js';
import { newAlertReference, statusesLeadingTo } from '../domain/lifecycle.js';
import type { DbOrTx, Tx } from './index.js';
import { alertEvents, alerts } from './schema/index.js';
import { memo } from '../memo.js';
import { rowMapper, selectList, statement } from './statement.js';

export type AlertRow = typeof alerts.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;
type AlertChange = Partial<typeof alerts.$inferInsert>;

const alertColumns = getTableColumns(alerts);
const toAlertRow = rowMapper(alerts);

/** One row of the timeline, as recorded with a change. */
export interface AlertEventInput {
  type: string;
  /** `system`, `officer:<id>` or `reporter:<pseudonym>`. */
  actor: string;
  from?: AlertStatus | null;
  to?: AlertStatus | null;
  data?: Record<string, unknown>;
}

const insertEvent = statement(
  'insert_alert_event',
  `insert into alert_events (alert_id, type, actor, from_status, to_status, data) values ($1, $2, $3, $4, $5, $6::jsonb)`,
);

/** Event columns as the last five parameters of a statement ($n … $n+4 after the alert id). */
const eventValues = (event: AlertEventInput) => [event.type, event.actor, event.from ?? null, event.to ?? null, JSON.stringify(event.data ?? {})];

export async function recordEvent(tx: DbOrTx, alertId: number, event: AlertEventInput): Promise<void> {
  await insertEvent(tx, [alertId, ...eventValues(event)]);
}

/** A change to an alert with the event that records it (a workflow stage's outcome). */
export interface AlertStage {
  set: AlertChange;
  event: AlertEventInput;
}

const columnName = (key: string) => alertColumns[key as keyof typeof alertColumns].name;
/** A column's value as the driver takes it (null stays null). */
const driverValue = (key: string, value: unknown) =>
  value === null || value === undefined ? null : alertColumns[key as keyof typeof alertColumns].mapToDriverValue(value);
const driverValues = (entries: [string, unknown][]) => entries.map(([key, value]) => driverValue(key, value));

/** A new alert to write: its columns (beyond the defaults; no `ref`, one is drawn) and its events, in order. */
export interface NewAlert {
  set: AlertChange;
  events: AlertEventInput[];
}

/**
 * Inserts alerts and their events in one statement (one per set of columns, built once and named
 * by its text). The columns travel as arrays: $1–$6 are the events (alert ordinal, then the five
 * event columns), $7… the alerts' columns in order. An alert whose `ref` is taken is skipped (and
 * so are its events); the caller draws another.
 */
const insertAlertsStatement = memo((keys: string) => {
  const columns = keys.split(',').map((key) => alertColumns[key as keyof typeof alertColumns]);
  const names = columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = columns.map((c, i) => `$${i + 7}::${c.getSQLType()}[]`).join(', ');
  return statement(
    'insert_alerts',
    `with input as (select * from unnest(${arrays}) with ordinality as v(${names}, ordinal)),
     created as (
       insert into alerts (${names}) select ${names} from input order by ordinal
       on conflict (ref) do nothing returning *),
     events as (
       insert into alert_events (alert_id, type, actor, from_status, to_status, data)
       select created.id, e.type, e.actor, e.from_status, e.to_status, e.data
         from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) with ordinality as e(alert, type, actor, from_status, to_status, data, n)
         join input on input.ordinal = e.alert
         join created on created.ref = input.ref
        order by e.n)
     select id, ref, created_at from created`,
  );
});

/** A new row's columns before anything is set: the columns' own defaults, else null (`created_at` comes from the database). */
const blankAlert = Object.fromEntries(
  // Plain defaults (numbers, booleans, the empty list of other types); SQL ones (now()) are read back.
  Object.entries(alertColumns).map(([key, column]) => [
    key,
    column.hasDefault && (typeof column.default !== 'object' || Array.isArray(column.default)) ? column.default : null,
  ]),
) as unknown as AlertRow;

/** References for `count` new alerts, distinct from each other (the unique index checks the rest). */
function drawReferences(count: number, length: number): string[] {
  const refs = new Set<string>();
  while (refs.size < count) refs.add(newAlertReference(length));
  return [...refs];
}

/**
 * Creates alerts with fresh references and their events, in order, inside the caller's
 * transaction: one statement for the lot (a burst of warnings costs one round trip, not one per
 * alert). Every alert must set the same columns. Returns the rows in the order given.
 */
export async function createAlerts(tx: Tx, batch: NewAlert[]): Promise<AlertRow[]> {
  if (batch.length === 0) return [];
  const updatedAt = new Date();
  // What each alert sets (a column left undefined keeps its default), and the columns of all.
  const sets = batch.map((a) => Object.fromEntries(Object.entries(a.set).filter(([, v]) => v !== undefined)) as Partial<AlertRow>);
  const keys = ['ref', ...new Set(sets.flatMap((set) => Object.keys(set))), 'updatedAt'];
  const created = new Map<number, AlertRow>();
  for (let attempt = 0; created.size < batch.length; attempt++) {
    const waiting = batch.map((_, i) => i).filter((i) => !created.has(i));
    const refs = drawReferences(waiting.length, attempt < 5 ? 5 : 6);
    const values = waiting.map((i, k) => ({ ...sets[i], ref: refs[k], updatedAt }) as Record<string, unknown>);
    const events = waiting.flatMap((i, k) => batch[i]!.events.map((event) => [k + 1, ...eventValues(event)]));
    const rows = await insertAlertsStatement(keys.join(','))(tx, [
      ...[0, 1, 2, 3, 4, 5].map((c) => events.map((row) => row[c])),
      ...keys.map((key) => values.map((v) => driverValue(key, v[key]))),
    ]);
    // The row as written: what was set over the defaults (nothing is computed in the database but
    // the id and the creation time), without reading every column back.
    const byRef = new Map(rows.map((raw) => [raw.ref as string, { id: Number(raw.id), createdAt: new Date(raw.created_at as string) }]));
    // An alert whose reference was already taken gets another on the next round.
    waiting.forEach((i, k) => {
      const written = byRef.get(refs[k]!);
      if (written) created.set(i, { ...structuredClone(blankAlert), ...values[k], ...written });
    });
  }
  return batch.map((_, i) => created.get(i)!);
}

/** The columns and events of a reporter's new alert, with any stages already decided. */
export function newAlertOf(
  values: { text: string; channel: string; focalPointId: number | null; language: string | null; actor: string },
  stages: AlertStage[] = [],
): NewAlert {
  // Warnings typed into the simulator are exercises: reports leave them out unless asked.
  const base: AlertChange = {
    text: values.text,
    channel: values.channel,
    exercise: values.channel === 'simulator',
    focalPointId: values.focalPointId,
    language: values.language,
  };
  return {
    set: Object.assign(base, ...stages.map((s) => s.set)) as AlertChange,
    events: [{ type: 'created', actor: values.actor, to: 'new', data: { channel: values.channel } }, ...stages.map((s) => s.event)],
  };
}

/**
 * Creates an alert with a fresh reference and its `created` event (inside the caller's
 * transaction). `stages` already decided (classification, routing) are written with it, each with
 * its own event after `created`: the same rows as applying them one by one, in one round trip.
 */
export async function createAlert(
  tx: Tx,
  values: { text: string; channel: string; focalPointId: number | null; language: string | null; actor: string },
  stages: AlertStage[] = [],
): Promise<AlertRow> {
  const [alert] = await createAlerts(tx, [newAlertOf(values, stages)]);
  return alert!;
}

/**
 * Moves an alert to `to` if its current status allows it, writing the change and its event
 * in the caller's transaction. Returns null when the alert had already moved on (someone else won).
 */
export async function transitionAlert(
  tx: Tx,
  alertId: number,
  to: AlertStatus,
  event: Omit<AlertEventInput, 'from' | 'to'>,
  set: AlertChange = {},
  /** The row as already locked by the caller in this transaction (saves a round trip). */
  locked?: AlertRow,
): Promise<{ alert: AlertRow; from: AlertStatus } | null> {
  const current = locked ?? (await lockAlert(tx, alertId));
  if (!current || !statusesLeadingTo(to).includes(current.status as AlertStatus)) return null;
  const from = current.status as AlertStatus;
  const alert = await changeAlert(tx, alertId, { ...set, status: to }, { ...event, from, to });
  return { alert: alert!, from };
}

/**
 * The statement that sets these columns and inserts the event: one per set of columns, built once.
 * Parameters: id, the event's five values, then the columns in order.
 */
const changeStatement = memo((keys: string) => {
  const assignments = keys.split(',').map((key, i) => `"${columnName(key)}" = $${i + 7}`);
  return statement(
    'change_alert',
    `with changed as (update alerts set ${assignments.join(', ')} where id = $1 returning *),
     event as (
       insert into alert_events (alert_id, type, actor, from_status, to_status, data)
       select id, $2, $3, $4, $5, $6::jsonb from changed)
     select ${selectList(alerts)} from changed`,
  );
});

/** Sets columns and records the event in one statement; the changed row, or null if there is no such alert. */
async function changeAlert(db: DbOrTx, alertId: number, set: AlertChange, event: AlertEventInput): Promise<AlertRow | null> {
  const entries = Object.entries({ ...set, updatedAt: new Date() }).filter(([, value]) => value !== undefined);
  const [row] = await changeStatement(entries.map(([key]) => key).join(','))(db, [alertId, ...eventValues(event), ...driverValues(entries)]);
  return row ? toAlertRow(row) : null;
}

/**
 * Changes fields other than the status and records the event, in one statement (both or neither
 * are written). Returns the changed row, or null when there is no such alert.
 */
export async function updateAlert(db: DbOrTx, alertId: number, set: AlertChange, event: AlertEventInput): Promise<AlertRow | null> {
  return changeAlert(db, alertId, set, event);
}

const selectAlert = statement('get_alert', `select ${selectList(alerts)} from alerts where id = $1`);
const selectAlertForUpdate = statement('lock_alert', `select ${selectList(alerts)} from alerts where id = $1 for update`);
const selectAlertByRef = statement('get_alert_by_ref', `select ${selectList(alerts)} from alerts where ref = $1`);

export async function getAlert(db: DbOrTx, alertId: number): Promise<AlertRow | null> {
  const [row] = await selectAlert(db, [alertId]);
  return row ? toAlertRow(row) : null;
}

/** Locks the alert row for the rest of the transaction (serialises workers acting on one alert). */
export async function lockAlert(tx: Tx, alertId: number): Promise<AlertRow | null> {
  const [row] = await selectAlertForUpdate(tx, [alertId]);
  return row ? toAlertRow(row) : null;
}

export async function getAlertByRef(db: DbOrTx, ref: string): Promise<AlertRow | null> {
  const [row] = await selectAlertByRef(db, [ref]);
  return row ? toAlertRow(row) : null;
}
