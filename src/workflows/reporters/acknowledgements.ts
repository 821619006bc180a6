import type { AlertRow } from '../../db/alerts.js';
import type { FocalPointRow } from '../../db/focal-points.js';
import type { OutboundInput } from '../../db/outbox.js';
import type { WorkflowDeps } from '../deps.js';
import { reporterLanguage } from './language.js';

/** The warning being answered: where it came from and what it said. */
export interface AnsweredWarning {
  channel: string;
  /** The sender's sealed address, as stored with the message. */
  fromEnc: string;
  text: string;
}

/**
 * The message that tells a reporter their warning reached the mission, with the alert's reference:
 * `reporter:confirmation` for a warning that opened an alert (or was split out into one),
 * `reporter:followUp` for one counted under an alert already open. In the reporter's language (see
 * reporterLanguage: `seen` is what it may read, by default the warning's text), on the channel the
 * warning came by. None to a silent or opted-out reporter.
 */
export function acknowledgementTo(
  deps: Pick<WorkflowDeps, 't' | 'analyser' | 'deployment'>,
  reporter: FocalPointRow,
  warning: AnsweredWarning,
  alert: Pick<AlertRow, 'id' | 'ref'>,
  options: { message: 'reporter:confirmation' | 'reporter:followUp'; dedupeKey: string; seen?: Parameters<typeof reporterLanguage>[2] },
): OutboundInput[] {
  if (reporter.silent || reporter.optedOut) return [];
  const language = reporterLanguage(deps, reporter, options.seen ?? { text: warning.text });
  return [
    {
      alertId: alert.id,
      channel: warning.channel,
      recipient: `reporter:${reporter.id}`,
      toEnc: warning.fromEnc,
      purpose: 'confirmation',
      body: deps.t(language, options.message, { ref: alert.ref }),
      dedupeKey: options.dedupeKey,
    },
  ];
}
