import type { Translate } from '../../i18n.js';
import type { ResponseFigures } from '../../db/response-report.js';
import type { OverdueAlert, ReporterAwaitingReply } from '../../db/waiting.js';

/** A report period as the reports take it: dates in the mission's time zone, `to` exclusive. */
export interface DatePeriod {
  from: string;
  to: string;
}

/** The calendar date (YYYY-MM-DD) of a moment in a time zone. */
export function dateIn(timezone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The month `now` falls in, in the mission's time zone. */
export function monthOf(now: Date, timezone: string): DatePeriod {
  const [year, month] = dateIn(timezone, now).split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { from: `${year}-${String(month).padStart(2, '0')}-01`, to: `${next}-01` };
}

/** The seven whole days before the day `now` falls on, in the mission's time zone. */
export function weekBefore(now: Date, timezone: string): DatePeriod {
  const today = dateIn(timezone, now);
  return { from: addDays(today, -7), to: today };
}

/** One office's (or the mission's) figures in a summary. */
export interface SummarySection {
  name: string;
  /** Null when no alert was received. */
  figures: ResponseFigures | null;
}

/** What a summary message holds; `overdue` and `waiting` are listed when given (the digest). */
export interface ResponseSummary {
  title: string;
  sections: SummarySection[];
  overdue?: OverdueAlert[];
  waiting?: ReporterAwaitingReply[];
}

/** Most alerts a list in a message names before "and N more". */
const listed = 10;

/** The summary as one compact message in the officer's language (Telegram or SMS). */
export function renderResponseSummary(t: Translate, language: string, summary: ResponseSummary): string {
  const tr = (key: string, vars?: Record<string, unknown>) => t(language, `officer:report.${key}`, vars);
  const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`);
  const duration = (seconds: number | null) => {
    if (seconds === null) return '—';
    if (seconds < 90) return tr('seconds', { n: seconds });
    if (seconds < 90 * 60) return tr('minutes', { n: Math.round(seconds / 60) });
    if (seconds < 36 * 3600) return tr('hours', { n: Math.round(seconds / 360) / 10 });
    return tr('days', { n: Math.round(seconds / 8640) / 10 });
  };
  const lines = [summary.title];
  for (const { name, figures: f } of summary.sections) {
    lines.push('', name);
    if (!f || f.received === 0) {
      lines.push(tr('none'));
      continue;
    }
    lines.push(
      tr('received', {
        received: f.received,
        acknowledged: f.acknowledged,
        ackRate: percent(f.ackRate),
        inTime: f.acknowledgedInTime,
        inTimeRate: percent(f.inTimeRate),
      }),
      tr('followUp', { escalated: f.escalated, replied: f.repliedToReporter, closed: f.closed, withOutcome: f.withOutcome, open: f.open }),
      tr('times', { median: duration(f.medianTimeToAcknowledge), p90: duration(f.p90TimeToAcknowledge), reply: duration(f.medianTimeToFirstReply) }),
    );
  }
  const more = (n: number) => (n > listed ? ` ${tr('more', { count: n - listed })}` : '');
  if (summary.overdue) {
    const refs = summary.overdue.slice(0, listed).map((a) => a.ref);
    lines.push(
      '',
      summary.overdue.length
        ? tr('overdue', { count: summary.overdue.length, refs: refs.join(', ') }) + more(summary.overdue.length)
        : tr('noneOverdue'),
    );
  }
  if (summary.waiting) {
    const who = summary.waiting.slice(0, listed).map((w) => `${w.pseudonym} (${w.ref})`);
    lines.push(
      summary.waiting.length
        ? tr('waiting', { count: summary.waiting.length, list: who.join(', ') }) + more(summary.waiting.length)
        : tr('noneWaiting'),
    );
  }
  return lines.join('\n');
}
