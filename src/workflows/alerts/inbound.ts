import type { Job } from 'bullmq';
import type { Update } from 'grammy/types';
import { UnrecoverableError } from 'bullmq';
import type { ChannelName } from '../../channels/channel.js';
import { registerFocalPoint, registerFocalPoints, type FocalPointRow, type ReporterAddress } from '../../db/focal-points.js';
import { getInboundsWithSenders, markInboundProcessed, type InboundRow, type InboundWithSender } from '../../db/inbound.js';
import { reportersWithOpenAlerts } from '../../db/reporters.js';
import type { OfficerRow } from '../../db/offices.js';
import { answerOfficerText } from '../officers/messages.js';
import { isLoginRequest, loginLinkMessage } from '../officers/login-link.js';
import { followUpTarget, noOpenAlert } from '../reporters/conversation.js';
import type { WorkflowDeps } from '../deps.js';
import { EarlierMessagePending, RecordNotFound, ReporterAlertsChanging, UnprocessableMessage, WarningsNotWrittenTogether } from '../errors.js';
import type { JobData } from '../queue/jobs.js';
import { handleOfficerUpdate } from '../officers/telegram/updates.js';
import { applyReporterCommand, parseReporterCommand, type ReporterCommand } from '../reporters/commands.js';
import { alertWarnings } from './warnings.js';
import { finish } from './finish.js';
import { addFollowUp } from './follow-up.js';
import { findOfficer, fromOfficer, reporterAddress } from './senders.js';
import { parkIfHopeless, readStoredUpdate, storedUpdate } from './unprocessable.js';

/** A message from an officer's number: a command (OK/FIN/R/TYPE/LIEU … <ref>) or, failing that, the help text. */
async function handleOfficerMessage(deps: WorkflowDeps, message: InboundRow, officer: OfficerRow): Promise<void> {
  const body = isLoginRequest(message.text) ? await loginLinkMessage(deps, officer) : await answerOfficerText(deps, officer, message.text);
  await finish(deps, message, { outcome: 'officer_command' }, { recipient: `officer:${officer.id}`, body });
}

/** STOP, START, HELP, LANG: answered in the reporter's language; after STOP nothing at all is sent. */
async function handleReporterCommand(
  deps: WorkflowDeps,
  message: InboundRow,
  reporter: FocalPointRow,
  command: ReporterCommand,
  languages: string[],
): Promise<void> {
  const { outcome, reply } = await applyReporterCommand(deps, reporter, command, languages);
  await finish(deps, message, { outcome, focalPointId: reporter.id }, reply === null ? null : { recipient: `reporter:${reporter.id}`, body: reply });
}

/**
 * Telegram specifics: officers' updates go to the officer features; a button pressed by anyone
 * else is refused and logged; group chatter from non-officers is ignored. Returns null when the
 * update is an ordinary reporter's message.
 */
async function handleTelegramUpdate(
  deps: WorkflowDeps,
  message: InboundRow,
  update: Update,
  officer: OfficerRow | null,
  languages: string[],
): Promise<string | null> {
  const telegram = deps.channels.get('telegram');
  if (officer && telegram) {
    await handleOfficerUpdate(deps, update, officer, languages);
    await markInboundProcessed(deps.db, message.id, { outcome: 'officer_update' });
    return 'officer update';
  }
  if (update.callback_query) {
    deps.log.warn({ updateId: update.update_id, data: update.callback_query.data }, 'refused: button pressed by someone who is not an officer');
    await telegram?.answerButton?.(update.callback_query.id, deps.t(deps.deployment.defaultLanguage, 'officer:telegram.notOfficer'), { alert: true });
    await markInboundProcessed(deps.db, message.id, { outcome: 'refused' });
    return 'refused';
  }
  const chat = (update.message ?? update.edited_message)?.chat;
  if (!officer && chat && chat.type !== 'private') {
    await markInboundProcessed(deps.db, message.id, { outcome: 'ignored' });
    return 'ignored';
  }
  return null;
}

/**
 * A reporter's new warning, known without reading anything more: not from an officer, not a
 * button or group chatter, not a keyword, and from a reporter with no open alert (so it cannot be
 * a follow-up). Such messages of one job are taken in together (see alertWarnings).
 */
function isPlainWarning(
  deps: WorkflowDeps,
  { message, sender }: InboundWithSender,
  address: ReporterAddress,
  withOpenAlerts: ReadonlySet<number>,
): boolean {
  // An update that cannot be read is handled on its own (and parked).
  const read = message.channel === 'telegram' ? readStoredUpdate(deps.pii, message) : null;
  if (fromOfficer(deps, address) || parseReporterCommand(message.text) || (read && 'error' in read)) return false;
  const update = read?.update;
  if (update && (update.callback_query || (update.message ?? update.edited_message)?.chat.type !== 'private')) return false;
  return !sender || !withOpenAlerts.has(sender.id);
}

/**
 * One message: an officer's command; a reporter's keyword; a follow-up to the reporter's open
 * alert (passed to the officers holding it); or a new warning, which becomes an alert (the
 * reporter is registered on first contact) and is confirmed.
 */
async function handleMessage(deps: WorkflowDeps, found: InboundWithSender, allStages: boolean, languages: string[]): Promise<string> {
  const { message } = found;
  if (message.processedAt) {
    // Processed before a crash could enqueue the next step: make sure it is queued.
    if (message.alertId && message.outcome === 'alert') await deps.queues.add('classify', { alertId: message.alertId });
    return 'already processed';
  }
  const channel = message.channel as ChannelName;
  const update = storedUpdate(deps.pii, message);
  const from = deps.pii.decrypt(message.fromEnc);
  const officer = await findOfficer(deps, channel, from);
  if (update) {
    const handled = await handleTelegramUpdate(deps, message, update, officer, languages);
    if (handled) return handled;
  }
  if (officer) {
    await handleOfficerMessage(deps, message, officer);
    return 'officer command';
  }
  // Not found with the message: a first-time reporter, registered now.
  const reporter = found.sender ?? (await registerFocalPoint(deps.db, deps.pii, reporterAddress(channel, from)));
  const command = parseReporterCommand(message.text);
  if (command) {
    await handleReporterCommand(deps, message, reporter, command, languages);
    return `reporter ${command.kind}`;
  }
  // Decided again if another job made an alert of this reporter meanwhile (see stillNew).
  for (let decision = 1; decision <= 3; decision++) {
    const { target: followed, linkTo, ...basis } = await followUpTarget(deps.db, deps, reporter, message.text, message.receivedAt);
    if (followed) {
      if (await addFollowUp(deps, message, reporter, followed)) return 'follow-up';
      continue; // closed by an officer since it was chosen: decided again (it is then no follow-up)
    }
    const warning = { message, reporter, basis, linkTo };
    // First attempt: the whole way to the officers in one transaction (see new-alert.ts).
    if ((await alertWarnings(deps, [warning], allStages ? 'now' : 'as jobs')).length === 0)
      return allStages ? 'alert created and notified' : 'alert created';
  }
  throw new ReporterAlertsChanging(message.id, reporter.id);
}

/** A plain new warning (see isPlainWarning), with its sender's address. */
interface PlainWarning {
  found: InboundWithSender;
  address: ReporterAddress;
  /** The intake sealed the sender's address as the reporter's record stores it (the sender wrote it in E.164). */
  sealedAsIs: boolean;
}

const readSender = (deps: WorkflowDeps, message: InboundRow): string | null => {
  try {
    return deps.pii.decrypt(message.fromEnc);
  } catch {
    return null;
  }
};

/** Sorts a job's messages: the plain new warnings to take in together, and the rest, oldest first. */
async function sortOut(deps: WorkflowDeps, found: InboundWithSender[]): Promise<{ together: PlainWarning[]; alone: InboundWithSender[] }> {
  const together: PlainWarning[] = [];
  const alone: InboundWithSender[] = [];
  const withOpenAlerts = await reportersWithOpenAlerts(
    deps.db,
    found.flatMap((f) => (f.sender && !f.message.processedAt ? [f.sender.id] : [])),
  );
  const senders = new Set<string>();
  for (const f of found) {
    const first = !senders.has(f.message.fromHash);
    senders.add(f.message.fromHash);
    // A sender that cannot be read is handled alone (and fails alone: see unprocessable.ts), not with the burst.
    const from = f.message.processedAt ? null : readSender(deps, f.message);
    const address = from === null ? null : reporterAddress(f.message.channel as ChannelName, from);
    if (first && address && isPlainWarning(deps, f, address, withOpenAlerts))
      together.push({ found: f, address, sealedAsIs: from === address.value });
    else alone.push(f);
  }
  return { together, alone };
}

/**
 * Registers the first-time reporters among plain new warnings (one statement), then makes their
 * alerts together. Returns the messages to handle on their own after all (see stillNew).
 */
async function takeTogether(deps: WorkflowDeps, together: PlainWarning[]): Promise<InboundWithSender[]> {
  const newcomers = together.filter((w) => !w.found.sender);
  const registered = await registerFocalPoints(
    deps.db,
    deps.pii,
    // The intake hashed each address the same way, and sealed it as stored when the sender wrote it so.
    newcomers.map((w) => ({ ...w.address, known: w.sealedAsIs ? { hash: w.found.message.fromHash, sealed: w.found.message.fromEnc } : undefined })),
  );
  const reporters = new Map(newcomers.map((w, i) => [w.found.message.id, registered[i]!]));
  // Found with no open alert (isPlainWarning).
  const again = await alertWarnings(
    deps,
    together.map(({ found: f }) => ({ message: f.message, reporter: f.sender ?? reporters.get(f.message.id)!, basis: noOpenAlert })),
  );
  return again.map((w) => ({ message: w.message, sender: w.reporter }));
}

/**
 * First step for every message received. A job carries the messages that arrived together; on
 * its first attempt, the plain new warnings among them become alerts together (one transaction,
 * a few statements for all), then every other message is handled on its own, oldest first. Only
 * a sender's first message of the job can be taken together: the next may follow up on it.
 * If taking them together fails, each of their alerts is created alone and its stages run as jobs
 * (as on a retry); a message that fails fails the job, whose retry finds the others done.
 */
export async function inboundStep(job: Job<JobData<'inbound'>>, deps: WorkflowDeps, languages: string[]): Promise<string> {
  const { inboundIds } = job.data;
  const found = await getInboundsWithSenders(deps.db, inboundIds);
  if (found.length === 0) throw new RecordNotFound('inbound message', inboundIds);
  const firstAttempt = job.attemptsMade === 0;
  const { together, alone } = firstAttempt ? await sortOut(deps, found) : { together: [], alone: found };
  const outcomes: string[] = [];
  const failures: Error[] = [];
  // Warnings whose alerts could not be written together: created alone, their stages as jobs.
  const stagesApart = new Set<number>();
  if (together.length > 0) {
    try {
      const again = await takeTogether(deps, together);
      outcomes.push(...together.slice(again.length).map(() => 'alert created and notified'));
      alone.push(...again);
    } catch (error) {
      if (error instanceof EarlierMessagePending) {
        // A warning alone whose sender's earlier message is in another job's hands: it waits (this
        // job is retried once its other messages are handled).
        failures.push(error);
      } else {
        const apart = new WarningsNotWrittenTogether(
          together.map((w) => w.found.message.id),
          error,
        );
        deps.log.warn({ inboundIds: apart.inboundIds, err: apart.message }, 'new warnings taken together failed; each alert is created alone');
        together.forEach((w) => stagesApart.add(w.found.message.id));
        alone.push(...together.map((w) => w.found));
      }
    }
  }
  // Oldest first, whatever came back from the warnings taken together.
  alone.sort((a, b) => a.message.id - b.message.id);
  for (const f of alone) {
    try {
      outcomes.push(await handleMessage(deps, f, firstAttempt && !stagesApart.has(f.message.id), languages));
    } catch (error) {
      const seen = await parkIfHopeless(job, deps, f.message, error as Error);
      failures.push(seen);
      if (error instanceof EarlierMessagePending)
        deps.log.info({ inboundId: f.message.id }, "inbound message waits for its sender's earlier message");
      else if (!(seen instanceof UnprocessableMessage))
        deps.log.warn({ inboundId: f.message.id, err: (error as Error).message }, 'inbound message failed');
    }
  }
  if (failures.length > 0) throw failures.find((e) => !(e instanceof UnrecoverableError)) ?? failures[0]!;
  if (outcomes.length === 1) return outcomes[0]!;
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts].map(([o, n]) => `${n} ${o}`).join(', ');
}
