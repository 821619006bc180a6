import { getAlertByRef, type AlertRow } from '../../../db/alerts.js';
import { activeOffices } from '../../../db/offices.js';
import { recordedOutcomeOf } from '../../../db/outcomes.js';
import { getPlace, unitsWithin, type PlaceRow } from '../../../db/places.js';
import { isOpen } from '../../../domain/lifecycle.js';
import { severities, threatTypes, type Severity } from '../../../domain/taxonomy.js';
import { registeredPlace } from '../../../domain/place.js';
import { cardActions, outcomeActions } from '../../sending/cards.js';
import type { WorkflowDeps } from '../../deps.js';
import { correctionReply } from '../correction-replies.js';
import { correctAlert, type CorrectionRequest } from '../corrections.js';
import { mayActOn } from '../permissions.js';
import { tr, type ButtonAnswer, type OfficerTurn } from './context.js';

/** Where a pressed button is: the card message in its chat. */
export interface PressedCard {
  chatId: number;
  messageId: number;
}

type Button = { label: string; data: string };

/**
 * Callback data of the correction keyboard, within Telegram's 64 bytes: `fix:<ref>` (the menu),
 * `fix:<screen>:<ref>` (`type`, `also`, `sev`, `place`, `office`, `back`, `ask`), and
 * `fix:<t|a|s|p|o>:<value>:<ref>` for a choice (a type's index, a severity, a place id, an office id).
 */
const pattern = /^fix(?::([a-z]+))?(?::([\w.-]{1,40}))?:([A-Z0-9]{5,8})$/;

/** The prompt that asks for a place to be typed; a reply to it is read as `LIEU <ref> <reply>` (see placeAsked). */
const placePrompt = (ref: string, ask: string) => `📍 ${ref} · ${ask}`;

/** The alert a reply is about when it answers the place prompt, else null. */
export function placeAsked(repliedTo: string | undefined): string | null {
  return /^📍 ([A-Z0-9]{5,8}) · /u.exec(repliedTo ?? '')?.[1] ?? null;
}

/** Other places the warning names, besides the one found: the place finder again, without the words already read. */
function candidatePlaces(deps: WorkflowDeps, alert: AlertRow): number[] {
  const ids = alert.placeId ? [alert.placeId] : [];
  let text = alert.text;
  for (let i = 0; i < 5 && ids.length < 6; i++) {
    const found = deps.analyser.findPlace(text);
    if (!found || found.matched === registeredPlace || !text.includes(found.matched)) break;
    if (!ids.includes(found.place.id)) ids.push(found.place.id);
    text = text.replace(found.matched, ' ');
  }
  return ids;
}

/** The keyboard of one screen of the correction menu, in the officer's language. */
async function screen(turn: OfficerTurn, alert: AlertRow, name: string): Promise<Button[]> {
  const { deps, officer } = turn;
  const t = (key: string) => deps.t(officer.language, key);
  const ref = alert.ref;
  const back = (to: string) => ({ label: t('officer:button.back'), data: to ? `fix:${to}:${ref}` : `fix:${ref}` });
  const mark = (on: boolean) => (on ? '✅ ' : '');
  switch (name) {
    case 'type':
      return [
        ...threatTypes.map((type, i) => ({ label: `${mark(type === alert.threatType)}${t(`common:threat.${type}`)}`, data: `fix:t:${i}:${ref}` })),
        { label: t('officer:button.alsoTypes'), data: `fix:also:${ref}` },
        back(''),
      ];
    case 'also':
      return [
        ...threatTypes.flatMap((type, i) =>
          type === alert.threatType
            ? []
            : [{ label: `${alert.otherThreatTypes.includes(type) ? '☑️' : '▫️'} ${t(`common:threat.${type}`)}`, data: `fix:a:${i}:${ref}` }],
        ),
        back('type'),
      ];
    case 'sev':
      return [
        ...severities.map((s) => ({ label: `${mark(s === alert.severity)}${t(`common:severity.${s}`)}`, data: `fix:s:${s}:${ref}` })),
        back(''),
      ];
    case 'office':
      return [
        ...(await activeOffices(deps.db))
          .filter((o) => `fix:o:${o.id}:${ref}`.length <= 64)
          .map((o) => ({ label: `${mark(o.id === alert.officeId)}${o.name}`, data: `fix:o:${o.id}:${ref}` })),
        back(''),
      ];
    case 'place': {
      // The places the message names, then the units of the office's area.
      const named = await Promise.all(candidatePlaces(deps, alert).map((id) => getPlace(deps.db, id)));
      const area = deps.deployment.fieldOffices.find((o) => o.id === alert.officeId)?.area ?? {};
      const units = await unitsWithin(deps.db, area, 8);
      const places = [...named, ...units].filter((p, i, all): p is PlaceRow => p !== null && all.findIndex((q) => q?.id === p.id) === i);
      return [
        ...places.map((p) => ({
          label: `${mark(p.id === alert.placeId)}${p.name}${p.admin1 ? ` (${p.admin1})` : ''}`,
          data: `fix:p:${p.id}:${ref}`,
        })),
        { label: t('officer:button.typePlace'), data: `fix:ask:${ref}` },
        back(''),
      ];
    }
    default:
      return [
        { label: t('officer:button.fixType'), data: `fix:type:${ref}` },
        { label: t('officer:button.fixSeverity'), data: `fix:sev:${ref}` },
        { label: t('officer:button.fixPlace'), data: `fix:place:${ref}` },
        { label: t('officer:button.fixOffice'), data: `fix:office:${ref}` },
        { label: t('officer:button.back'), data: `fix:back:${ref}` },
      ];
  }
}

/** The buttons the card shows outside the menu: the actions of an open alert, a resolved one's outcomes, else none. */
async function cardButtons(turn: OfficerTurn, alert: AlertRow): Promise<Button[]> {
  const { deps, officer } = turn;
  if (!mayActOn(officer, alert)) return [];
  if (isOpen(alert)) return cardActions(deps.t, officer.language, alert.ref);
  if (alert.status !== 'resolved') return [];
  return outcomeActions(deps.t, officer.language, alert.ref, (await recordedOutcomeOf(deps.db, alert.id))?.outcomes ?? []);
}

/** What a choice asks `correctAlert` to change; null when the value is not one of the choices. */
function choice(kind: string, value: string): Omit<CorrectionRequest, 'alert' | 'officerId'> | null {
  const type = /^\d+$/.test(value) ? threatTypes[Number(value)] : undefined;
  if (kind === 't' && type) return { threatType: type };
  if (kind === 'a' && type) return { toggleOtherThreatType: type };
  if (kind === 's' && (severities as readonly string[]).includes(value)) return { severity: value as Severity };
  if (kind === 'p' && /^\d+$/.test(value)) return { placeId: Number(value) };
  if (kind === 'o') return { officeId: value };
  return null;
}

/**
 * The correction keyboard of a card (`fix:…`): *Correct* swaps the card's buttons for a menu
 * (type, severity, place, office), each a screen of choices, on the presser's copy only; a choice
 * goes through `correctAlert`, as the SMS commands and the operations room do, which edits every
 * copy of the card (and so puts the usual buttons back). *Type it* asks for the place in a reply.
 * Null for other buttons.
 */
export async function pressCorrectionButton(turn: OfficerTurn, data: string, card: PressedCard | null): Promise<ButtonAnswer | null> {
  const match = pattern.exec(data);
  if (!match) return null;
  const [, kind, value, ref] = match as unknown as [string, string | undefined, string | undefined, string];
  const { deps, officer } = turn;
  const alert = await getAlertByRef(deps.db, ref);
  if (!alert) return { text: tr(turn, 'reply.unknownAlert', { ref }), alert: true };
  const telegram = deps.channels.get('telegram');
  const showButtons = async (buttons: Button[]) => {
    if (card && telegram?.editButtons) await telegram.editButtons(`${card.chatId}:${card.messageId}`, buttons);
  };

  if (value !== undefined && kind !== undefined) {
    const wanted = choice(kind, value);
    if (!wanted) return { alert: false };
    const result = await correctAlert(deps, { alert: { id: alert.id }, officerId: officer.id, ...wanted });
    // A correction edits every copy (buttons back); a choice that changed nothing gets this copy's
    // buttons back here. A refused one leaves the copy alone (a group's copy is its office's too).
    if (result.outcome === 'unchanged' || result.outcome === 'unknown_place' || result.outcome === 'unknown_office')
      await showButtons(await cardButtons(turn, 'alert' in result ? result.alert : alert));
    const text = await correctionReply(deps, officer, ref, result);
    return { text: text.slice(0, 200), alert: result.outcome !== 'done' && result.outcome !== 'unchanged' };
  }
  if (!mayActOn(officer, alert)) {
    deps.log.warn({ officer: officer.id, alert: ref, action: 'correct' }, 'refused: officer outside the alert office');
    return { text: tr(turn, 'reply.notAllowed', { ref }), alert: true };
  }
  if (kind === 'back') {
    await showButtons(await cardButtons(turn, alert));
    return { alert: false };
  }
  if (kind === 'ask') {
    const chat = card ? String(card.chatId) : String(officer.telegramId ?? '');
    if (chat && telegram?.reply) await telegram.reply(chat, placePrompt(ref, tr(turn, 'correction.askPlace')), { forceReply: true });
    return { alert: false };
  }
  await showButtons(await screen(turn, alert, kind ?? 'menu'));
  return { alert: false };
}
