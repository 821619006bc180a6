import type { Db } from '../db/index.js';
import { overdueAlerts, reportersAwaitingReply, timeToAcknowledgeBuckets, timeToAcknowledgeHistogram } from '../db/waiting.js';

const label = (value: string | null) => (value ?? 'none').replace(/["\\\n]/g, '_');

/** Counts per office, as `{office}` gauge lines (offices with none are absent). */
function perOffice(name: string, list: { officeId: string | null }[]): string[] {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(label(item.officeId), (counts.get(label(item.officeId)) ?? 0) + 1);
  return [...counts].map(([office, n]) => `${name}{office="${office}"} ${n}`);
}

/**
 * The response figures as Prometheus metrics (DESIGN.md "Response and its record"): time to
 * acknowledge by office and severity, alerts unacknowledged past their deadline and reporters
 * waiting for a reply, by office. Exercise alerts are left out.
 */
export async function renderResponseMetrics(db: Db, now: Date): Promise<string[]> {
  const [histogram, overdue, waiting] = await Promise.all([timeToAcknowledgeHistogram(db), overdueAlerts(db, { now }), reportersAwaitingReply(db)]);
  const lines = [
    '# HELP tamtam_time_to_acknowledge_seconds Time from the first message of a warning to its acknowledgement, by office and severity.',
    '# TYPE tamtam_time_to_acknowledge_seconds histogram',
  ];
  for (const row of histogram) {
    const labels = `office="${label(row.officeId)}",severity="${label(row.severity)}"`;
    timeToAcknowledgeBuckets.forEach((le, i) => lines.push(`tamtam_time_to_acknowledge_seconds_bucket{${labels},le="${le}"} ${row.buckets[i]}`));
    lines.push(
      `tamtam_time_to_acknowledge_seconds_bucket{${labels},le="+Inf"} ${row.count}`,
      `tamtam_time_to_acknowledge_seconds_sum{${labels}} ${row.sum}`,
      `tamtam_time_to_acknowledge_seconds_count{${labels}} ${row.count}`,
    );
  }
  lines.push(
    '# HELP tamtam_alerts_overdue Open alerts still unacknowledged after their first acknowledge deadline, by office.',
    '# TYPE tamtam_alerts_overdue gauge',
    ...perOffice('tamtam_alerts_overdue', overdue),
    '# HELP tamtam_reporters_waiting_for_reply Reporters of open alerts whose last message has had no reply from an officer, by office.',
    '# TYPE tamtam_reporters_waiting_for_reply gauge',
    ...perOffice('tamtam_reporters_waiting_for_reply', waiting),
  );
  return lines;
}
