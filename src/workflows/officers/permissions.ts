import type { AlertRow } from '../../db/alerts.js';
import type { OfficerRow } from '../../db/offices.js';

/** Only officers of the alert's office, or JOC and admin staff, may act on it (and see its buttons). */
export function mayActOn(officer: OfficerRow, alert: AlertRow): boolean {
  return officer.role === 'joc' || officer.role === 'admin' || (alert.officeId !== null && officer.officeId === alert.officeId);
}
