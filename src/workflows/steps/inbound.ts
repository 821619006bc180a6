import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ChannelName } from '../../channels/channel.js';
import { createAlert } from '../../db/alerts.js';
import { findOrCreateFocalPoint, type ReporterAddress } from '../../db/focal-points.js';
import { getInbound, insertOutbound, markInboundProcessed, type InboundRow } from '../../db/messages.js';
import { officerByPhone, officerByTelegramId, type OfficerRow } from '../../db/offices.js';
import { actOnAlert, type ActionOutcome } from '../actions.js';
import type { WorkflowDeps } from '../deps.js';
import { enqueueSends } from '../dispatch.js';
import type { JobData } from '../jobs.js';
import { parseOfficerCommand } from '../officer-commands.js';

/** The sender's address as a reporter key: phone numbers in E.164 (WhatsApp and SMS are one person). */
export function reporterAddress(channel: ChannelName, from: string): ReporterAddress {
  if (channel === 'telegram') return { kind: 'telegram', value: from };
  const bare = from.replace(/^whatsapp:/, '');
  return { kind: 'phone', value: parsePhoneNumberFromString(bare)?.number ?? bare };
}

async function findOfficer(deps: WorkflowDeps, channel: ChannelName, from: string): Promise<OfficerRow | null> {
  if (channel === 'telegram') return /^\d+$/.test(from) ? officerByTelegramId(deps.db, Number(from)) : null;
  const address = reporterAddress(channel, from);
  return officerByPhone(deps.db, address.value);
}

/** Reply text for an officer's command. */
function actionReply(deps: WorkflowDeps, officer: OfficerRow, ref: string, result: ActionOutcome): string {
  const t = (key: string, vars: Record<string, unknown> = {}) => deps.t(officer.language, `officer:reply.${key}`, { ref, ...vars });
  switch (result.outcome) {
    case 'done':
      return t(result.alert.status === 'notified' ? 'escalated' : result.alert.status);
    case 'unknown_alert':
    case 'unknown_officer':
      return t('unknownAlert');
    case 'not_allowed':
      return t('notAllowed');
    case 'too_late':
      return t('alreadyTaken', { status: deps.t(officer.language, `common:status.${result.alert.status}`), officer: result.by?.name ?? '—' });
  }
}

/** A message from an officer's number: a command (OK/FIN/… <ref>) or, failing that, the help text. */
async function handleOfficerMessage(deps: WorkflowDeps, message: InboundRow, officer: OfficerRow, from: string): Promise<void> {
  const command = parseOfficerCommand(message.text);
  const reply = command
    ? actionReply(deps, officer, command.ref, await actOnAlert(deps, { alert: { ref: command.ref }, officerId: officer.id, action: command.action }))
    : deps.t(officer.language, 'officer:reply.help');
  const ids = await deps.db.transaction(async (tx) => {
    if (!(await markInboundProcessed(tx, message.id, { outcome: 'officer_command' }))) return [];
    return insertOutbound(tx, [
      { channel: message.channel, recipient: `officer:${officer.id}`, toEnc: deps.pii.encrypt(from), purpose: 'reply', body: reply, dedupeKey: `reply:${message.id}` },
    ]);
  });
  await enqueueSends(deps.queues, ids);
}

/**
 * First step for every message received: an officer's command, or a warning from a reporter,
 * which becomes a new alert (the reporter is registered on first contact) and is confirmed.
 */
export async function inboundStep(job: Job<JobData<'inbound'>>, deps: WorkflowDeps): Promise<string> {
  const message = await getInbound(deps.db, job.data.inboundId);
  if (!message) throw new UnrecoverableError(`inbound message ${job.data.inboundId} not found`);
  if (message.processedAt) {
    // Processed before a crash could enqueue the next step: make sure it is queued.
    if (message.alertId) await deps.queues.add('classify', { alertId: message.alertId });
    return 'already processed';
  }
  const channel = message.channel as ChannelName;
  const from = deps.pii.decrypt(message.fromEnc);
  const officer = await findOfficer(deps, channel, from);
  if (officer) {
    await handleOfficerMessage(deps, message, officer, from);
    return 'officer command';
  }
  const reporter = await findOrCreateFocalPoint(deps.db, deps.pii, reporterAddress(channel, from));
  const created = await deps.db.transaction(async (tx) => {
    const alert = await createAlert(tx, {
      text: message.text,
      channel,
      focalPointId: reporter.id,
      language: reporter.language,
      actor: `reporter:${reporter.pseudonym}`,
    });
    if (!(await markInboundProcessed(tx, message.id, { outcome: 'alert', alertId: alert.id, focalPointId: reporter.id }))) {
      throw new Error('inbound message processed concurrently; retrying'); // rolls the alert back
    }
    const confirm = !reporter.silent && !reporter.optedOut;
    const outbound = confirm
      ? await insertOutbound(tx, [
          {
            alertId: alert.id,
            channel,
            recipient: `reporter:${reporter.id}`,
            toEnc: message.fromEnc,
            purpose: 'confirmation',
            body: deps.t(reporter.language ?? deps.deployment.defaultLanguage, 'reporter:confirmation', { ref: alert.ref }),
            dedupeKey: `confirmation:${alert.id}`,
          },
        ])
      : [];
    return { alert, outbound };
  });
  await deps.queues.add('classify', { alertId: created.alert.id });
  await enqueueSends(deps.queues, created.outbound);
  return 'alert created';
}
