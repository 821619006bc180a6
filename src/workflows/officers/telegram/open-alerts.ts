import { listAlerts } from '../../../db/alert-lists.js';
import { openStatuses } from '../../../domain/lifecycle.js';
import { threatLabel } from '../../sending/card-text.js';
import { tr, type OfficerTurn } from './context.js';

/** /alerts: the open alerts of the officer's office (all offices for JOC and admin), newest first. */
export async function openAlerts(turn: OfficerTurn): Promise<string> {
  const { deps, officer } = turn;
  const missionWide = officer.role === 'joc' || officer.role === 'admin';
  const rows = await listAlerts(deps.db, { status: [...openStatuses], officeId: missionWide ? undefined : officer.officeId, limit: 30 });
  if (rows.length === 0) return tr(turn, 'telegram.noOpenAlerts');
  const t = (key: string) => deps.t(officer.language, key);
  const lines = rows.map(({ alert, place }) =>
    [
      alert.ref,
      alert.threatType ? threatLabel((key, vars) => deps.t(officer.language, key, vars), alert) : '?',
      place?.name ?? t('common:unknownPlace'),
      t(`common:status.${alert.status}`),
    ].join(' · '),
  );
  return `${tr(turn, 'telegram.openAlerts', { count: rows.length })}\n${lines.join('\n')}`;
}
