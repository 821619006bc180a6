import { and, desc, eq, getTableColumns, gte, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { AlertStatus } from '../domain/taxonomy.js';
import { newAlertReference, openStatuses, statusesLeadingTo } from '../domain/lifecycle.js';
import type { DbOrTx, Tx } from './index.js';
import { alertEvents, alerts, places } from './schema/index.js';
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
  Object.entries(alertColumns).map(([key, column]) => [key, column.hasDefault && typeof column.default !== 'object' ? column.default : null]),
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
      if (written) created.set(i, { ...blankAlert, ...values[k], ...written });
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
  const base: AlertChange = { text: values.text, channel: values.channel, exercise: values.channel === 'simulator', focalPointId: values.focalPointId, language: values.language };
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

const reportersWithOpen = statement<{ focal_point_id: number }>(
  'reporters_with_open_alerts',
  `select distinct focal_point_id from alerts where focal_point_id = any($1::int[]) and status = any($2::text[])`,
);

/** Which of these reporters have an alert still open (their next message may be a follow-up). */
export async function reportersWithOpenAlerts(db: DbOrTx, focalPointIds: number[]): Promise<Set<number>> {
  if (focalPointIds.length === 0) return new Set();
  const rows = await reportersWithOpen(db, [focalPointIds, [...openStatuses]]);
  return new Set(rows.map((r) => Number(r.focal_point_id)));
}

/** Advisory lock space of "a reporter's new alerts" (the second key is the focal point's id). */
const reporterLockSpace = 7_310;
const lockReportersOf = statement(
  'lock_reporters',
  `select pg_advisory_xact_lock(${reporterLockSpace}, id) from (select distinct unnest($1::int[]) as id order by 1) r`,
);

/**
 * Holds these reporters until the transaction ends (in id order, so two transactions cannot
 * deadlock): two jobs never decide at the same moment whether a reporter's message opens an alert.
 */
export async function lockReporters(tx: Tx, focalPointIds: number[]): Promise<void> {
  if (focalPointIds.length > 0) await lockReportersOf(tx, [focalPointIds]);
}

const reporterStateOf = statement<{ kind: string; id: string; newest: string | null; last_at: Date | null }>(
  'reporters_state_for_new_alerts',
  `select 'open' as kind, o.focal_point_id::bigint as id, o.id as newest,
          (select max(i.received_at) from inbound_messages i where i.alert_id = o.id and i.focal_point_id = o.focal_point_id) as last_at
     from (select distinct on (focal_point_id) focal_point_id, id from alerts
            where focal_point_id = any($1::int[]) and status = any($2::text[])
            order by focal_point_id, created_at desc, id desc) o
   union all
   select 'behind', w.id, null, null from unnest($3::bigint[], $4::text[], $5::timestamptz[]) as w(id, from_hash, received_at)
    where exists (select 1 from inbound_messages i
                   where i.processed_at is null and i.received_at > now() - make_interval(secs => $6)
                     and i.from_hash = w.from_hash and i.id <> w.id
                     and (i.received_at, i.id) < (w.received_at, w.id))`,
);

/**
 * In one statement, for the transaction that writes new alerts (after lockReporters): each
 * reporter's newest open alert and when they last wrote about it (see followUpTarget), and which of the messages have an
 * earlier message from the same sender (received before, or at the same moment with a lower id)
 * still unprocessed, received in the last `withinSeconds`. Received, not inserted: two bursts'
 * INSERTs may commit in either order.
 */
export async function reportersState(
  tx: Tx,
  focalPointIds: number[],
  messages: { id: number; fromHash: string; receivedAt: Date }[],
  withinSeconds: number,
): Promise<{ newestOpen: Map<number, { id: number; lastMessageAt: Date | null }>; waitingBehind: Set<number> }> {
  const rows = await reporterStateOf(tx, [
    focalPointIds,
    [...openStatuses],
    messages.map((m) => m.id),
    messages.map((m) => m.fromHash),
    messages.map((m) => m.receivedAt.toISOString()),
    withinSeconds,
  ]);
  return {
    newestOpen: new Map(rows.filter((r) => r.kind === 'open').map((r) => [Number(r.id), { id: Number(r.newest), lastMessageAt: r.last_at ? new Date(r.last_at) : null }])),
    waitingBehind: new Set(rows.filter((r) => r.kind === 'behind').map((r) => Number(r.id))),
  };
}

export interface AlertFilter {
  status?: AlertStatus[];
  officeId?: string;
  since?: Date;
  limit: number;
}

/** Alerts newest first, joined with their place. */
export async function listAlerts(db: DbOrTx, filter: AlertFilter) {
  const conditions = [
    filter.status?.length ? inArray(alerts.status, filter.status) : undefined,
    filter.officeId ? eq(alerts.officeId, filter.officeId) : undefined,
    filter.since ? gte(alerts.createdAt, filter.since) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select({ alert: alerts, place: places })
    .from(alerts)
    .leftJoin(places, eq(places.id, alerts.placeId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(filter.limit);
}

export async function alertTimeline(db: DbOrTx, alertId: number): Promise<AlertEventRow[]> {
  return db.select().from(alertEvents).where(eq(alertEvents.alertId, alertId)).orderBy(alertEvents.id);
}

/** Unacknowledged alerts whose acknowledge deadline falls before `until` (past deadlines included). */
export async function alertsDueBefore(db: DbOrTx, until: Date, limit = 5_000) {
  return db
    .select({ id: alerts.id, timerSeq: alerts.timerSeq, ackDeadline: alerts.ackDeadline })
    .from(alerts)
    .where(and(eq(alerts.status, 'notified'), isNotNull(alerts.ackDeadline), lt(alerts.ackDeadline, until)))
    .limit(limit);
}

/** Alerts still `new` after `olderThanMs`: their classify/route/notify step was lost. */
export async function stalledNewAlerts(db: DbOrTx, now: Date, olderThanMs: number, limit = 1000) {
  return db
    .select({ id: alerts.id, classifiedAt: alerts.classifiedAt, routedAt: alerts.routedAt })
    .from(alerts)
    .where(and(eq(alerts.status, 'new'), lt(alerts.updatedAt, new Date(now.getTime() - olderThanMs))))
    .limit(limit);
}

/** Counts by status, for /metrics. */
export async function countAlertsByStatus(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await db.select({ status: alerts.status, n: sql<number>`count(*)::int` }).from(alerts).groupBy(alerts.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
