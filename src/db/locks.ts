import { sql } from 'drizzle-orm';

/**
 * Every PostgreSQL advisory lock Tamtam takes, in one place so no two uses share a key by accident.
 * Two-key locks (`pg_advisory_xact_lock(space, id)`) name a space here and an id at the call;
 * single-key locks use a 64-bit key of their own.
 */
export const advisoryLocks = {
  /** Migrations at start-up: processes starting together apply them one at a time (session lock). */
  migrations: 7_261_726_001,
  /** A reporter's new alerts (second key: the focal point's id): see lockReporters in reporters.ts. */
  reporterSpace: 7_310,
  /**
   * An alert's card edits (second key: the alert's id modulo 2^31 - 1; a rare clash only makes two
   * alerts wait for each other): two changes a moment apart are edited one after the other (lockAlertCards in cards.ts).
   */
  alertCardsSpace: 7_311,
  /**
   * Deciding whether warnings tell of an incident already alerted (second key: `hashtext(office id)`):
   * two jobs grouping warnings of one office's area wait for each other (lockIncidentOffices in incidents.ts).
   */
  incidentOfficeSpace: 7_312,
  /** A gazetteer source's import: `hashtext('tamtam gazetteer <source>')`, one lock per file (replacePlaces in places.ts). */
  gazetteerSource: (source: string) => sql`hashtext(${`tamtam gazetteer ${source}`})`,
} as const;
