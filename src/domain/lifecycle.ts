import { randomInt } from 'node:crypto';
import type { AlertStatus } from './taxonomy.js';

/** Which statuses an alert may move to from each status. Closed alerts do not move. */
export const allowedTransitions: Record<AlertStatus, readonly AlertStatus[]> = {
  new: ['notified', 'acknowledged', 'dismissed'],
  notified: ['acknowledged', 'responding', 'resolved', 'dismissed'],
  acknowledged: ['responding', 'resolved', 'dismissed'],
  responding: ['resolved', 'dismissed'],
  resolved: [],
  dismissed: [],
};

/** Statuses from which `to` may be reached. */
export function statusesLeadingTo(to: AlertStatus): AlertStatus[] {
  return (Object.keys(allowedTransitions) as AlertStatus[]).filter((from) => allowedTransitions[from].includes(to));
}

/** Statuses in which nobody has yet taken responsibility: the escalation clock runs. */
export const unacknowledgedStatuses: readonly AlertStatus[] = ['new', 'notified'];
export const openStatuses: readonly AlertStatus[] = ['new', 'notified', 'acknowledged', 'responding'];

/** Whether an alert is still open (not resolved or dismissed). */
export const isOpen = (alert: { status: string }) => openStatuses.includes(alert.status as AlertStatus);

/** No 0/O, 1/I/L: references are read aloud and typed on keypads. */
const referenceAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A short reference such as `A7K3Q` (31^5 ≈ 28 million). */
export function newAlertReference(length = 5): string {
  let ref = '';
  for (let i = 0; i < length; i++) ref += referenceAlphabet[randomInt(referenceAlphabet.length)];
  return ref;
}

/** True for something that can be a reference (right length, only letters and digits we issue). */
export function isAlertReference(text: string): boolean {
  return new RegExp(`^[${referenceAlphabet}]{5,6}$`).test(text);
}

/** Reads a reference typed by a person: case, spaces and dashes forgiven. */
export function normaliseReference(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}
