import { Composer } from 'grammy';
import { listAlerts } from '../../db/alert-lists.js';
import { openStatuses } from '../../domain/lifecycle.js';
import { tr, type OfficerContext } from './context.js';

/** /alerts: the open alerts of the officer's office (all offices for JOC and admin), newest first. */
export const openAlerts = new Composer<OfficerContext>();

openAlerts.command('alerts', async (ctx) => {
  const missionWide = ctx.officer.role === 'joc' || ctx.officer.role === 'admin';
  const rows = await listAlerts(ctx.deps.db, { status: [...openStatuses], officeId: missionWide ? undefined : ctx.officer.officeId, limit: 30 });
  if (rows.length === 0) return ctx.reply(tr(ctx, 'telegram.noOpenAlerts'));
  const t = (key: string) => ctx.deps.t(ctx.officer.language, key);
  const lines = rows.map(({ alert, place }) =>
    [alert.ref, alert.threatType ? t(`common:threat.${alert.threatType}`) : '?', place?.name ?? t('common:unknownPlace'), t(`common:status.${alert.status}`)].join(' · '),
  );
  return ctx.reply(`${tr(ctx, 'telegram.openAlerts', { count: rows.length })}\n${lines.join('\n')}`);
});
