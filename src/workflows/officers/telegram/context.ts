import type { OfficerRow } from '../../../db/offices.js';
import type { WorkflowDeps } from '../../deps.js';

/** An officer's Telegram update being answered: who sent it, and what the features may use. */
export interface OfficerTurn {
  deps: WorkflowDeps;
  officer: OfficerRow;
}

/** The officer's language for a key of locales/<lng>/officer.json. */
export const tr = ({ deps, officer }: OfficerTurn, key: string, vars?: Record<string, unknown>) => deps.t(officer.language, `officer:${key}`, vars);

/** How a button press is answered: a short text (none for a button Tamtam does not know), shown as an alert when it did not go through. */
export interface ButtonAnswer {
  text?: string;
  alert: boolean;
}
