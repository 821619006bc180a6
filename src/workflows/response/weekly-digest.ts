import type { OfficerRow } from '../../db/offices.js';
import { findOfficers } from '../../db/offices.js';
import { insertOutbound, type OutboundInput } from '../../db/outbox.js';
import { responseReport, type ResponseFigures } from '../../db/response-report.js';
import { overdueAlerts, reportersAwaitingReply } from '../../db/waiting.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends } from '../sending/pacing.js';
import { deliveryAddress } from '../sending/recipients.js';
import { monthOf, renderResponseSummary, weekBefore, type DatePeriod, type SummarySection } from './summary.js';

type SummaryDeps = Pick<WorkflowDeps, 'db' | 'deployment' | 't'>;

/** Who sees which offices' figures: the JOC and administrators every office, others their own. */
const seesEveryOffice = (officer: OfficerRow) => officer.role === 'joc' || officer.role === 'admin';

/** The response figures an officer may see for a period: per office, and the mission's total for the JOC. */
async function sectionsFor(deps: SummaryDeps, officer: OfficerRow, period: DatePeriod, language: string): Promise<SummarySection[]> {
  const { rows, total } = await responseReport(deps.db, { ...period, timezone: deps.deployment.timezone, by: ['office'] });
  const figuresOf = (officeId: string): ResponseFigures | null => rows.find((r) => r.office === officeId) ?? null;
  const offices = deps.deployment.fieldOffices.filter((o) => seesEveryOffice(officer) || o.id === officer.officeId);
  const sections = offices.map((o) => ({ name: o.name, figures: figuresOf(o.id) }));
  return seesEveryOffice(officer) ? [...sections, { name: deps.t(language, 'officer:report.mission'), figures: total }] : sections;
}

/** `/report`: this month's figures, in the mission's time zone, for what the officer may see. */
export async function monthlySummaryFor(deps: SummaryDeps, officer: OfficerRow, now: Date): Promise<string> {
  const period = monthOf(now, deps.deployment.timezone);
  const month = new Intl.DateTimeFormat(officer.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${period.from}T12:00:00Z`),
  );
  const sections = await sectionsFor(deps, officer, period, officer.language);
  return renderResponseSummary(deps.t, officer.language, { title: deps.t(officer.language, 'officer:report.monthTitle', { month }), sections });
}

/**
 * The weekly digest: to each office's supervisors their office's figures for the seven days before
 * today, the alerts still unacknowledged past their deadline and the reporters still waiting for a
 * person's reply; to the JOC the same for every office. One message per officer per week: a
 * second run of the same week (two workers, a retry) finds its dedupe keys taken and sends nothing.
 */
export async function sendWeeklyDigest(deps: WorkflowDeps, now = deps.now()): Promise<number> {
  const period = weekBefore(now, deps.deployment.timezone);
  const recipients = [...(await findOfficers(deps.db, { roles: ['supervisor', 'joc'] }))];
  const [overdue, waiting] = await Promise.all([overdueAlerts(deps.db, { now }), reportersAwaitingReply(deps.db)]);
  const rows: OutboundInput[] = [];
  for (const officer of recipients) {
    const address = deliveryAddress({ kind: 'officer', officer }, deps.channels);
    if (!address) continue;
    const mine = <T extends { officeId: string | null }>(list: T[]) =>
      seesEveryOffice(officer) ? list : list.filter((a) => a.officeId === officer.officeId);
    const title = deps.t(officer.language, 'officer:report.digestTitle', { from: period.from, to: period.to });
    const body = renderResponseSummary(deps.t, officer.language, {
      title,
      sections: await sectionsFor(deps, officer, period, officer.language),
      overdue: mine(overdue),
      waiting: mine(waiting),
    });
    rows.push({
      channel: address.channel,
      recipient: `officer:${officer.id}`,
      toEnc: deps.pii.encrypt(address.to),
      purpose: 'digest',
      body,
      dedupeKey: `digest:${period.from}:${officer.id}`,
    });
  }
  const queued = await insertOutbound(deps.db, rows);
  await enqueueSends(deps, queued);
  deps.log.info({ week: period.from, recipients: rows.length, sent: queued.length }, 'weekly digest');
  return queued.length;
}
