import type { PageText } from './html.js';

/** A duration as people say it: `45 s`, `12 min`, `3 h 05`, `2 d 4 h`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')}`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Seconds (a report's median) as a duration, or a dash. */
export const seconds = (value: number | null) => (value === null ? '—' : duration(value * 1000));

/** A share 0–1 as a percentage, or a dash. */
export const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)} %`);

/** Date and time in the mission's time zone, in the page's language. */
export function dateTime(at: Date, lang: string, timezone: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' }).format(at);
}

/** What the board says about an acknowledge deadline: overdue by, or time left. */
export function deadlineText(t: PageText, deadline: Date | null, now: Date): { text: string; late: boolean } {
  if (!deadline) return { text: '—', late: false };
  const left = deadline.getTime() - now.getTime();
  return left < 0
    ? { text: t('board.overdue', { time: duration(-left) }), late: true }
    : { text: t('board.left', { time: duration(left) }), late: false };
}
