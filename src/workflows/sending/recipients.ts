import type { Channels } from '../../channels/registry.js';
import type { ChannelName } from '../../channels/channel.js';
import type { DbOrTx } from '../../db/index.js';
import { findOfficers, type FieldOfficeRow, type OfficerRow } from '../../db/offices.js';

/** Someone (or some group chat) a notification goes to. */
export type Recipient = { kind: 'officer'; officer: OfficerRow } | { kind: 'group'; office: FieldOfficeRow };

/** Stored on outbound messages: never an address. */
export function recipientKey(r: Recipient): string {
  return r.kind === 'officer' ? `officer:${r.officer.id}` : `office:${r.office.id}`;
}

/** Resolves an escalation level's `notify` targets (see the deployment file) for one office. */
export async function resolveTargets(db: DbOrTx, office: FieldOfficeRow, targets: readonly string[]): Promise<Recipient[]> {
  const found = new Map<string, Recipient>();
  const addOfficers = (list: OfficerRow[]) => list.forEach((officer) => found.set(`officer:${officer.id}`, { kind: 'officer', officer }));
  for (const target of targets) {
    const [scope, what] = target.split('.', 2) as [string, string];
    if (scope === 'office' && what === 'group') {
      if (office.telegramChatId) found.set(`office:${office.id}`, { kind: 'group', office });
    } else if (scope === 'office') {
      const roles = what === 'officers' ? ['officer'] : what === 'supervisors' ? ['supervisor'] : undefined;
      addOfficers(await findOfficers(db, { officeId: office.id, roles }));
    } else if (scope === 'role') {
      addOfficers(await findOfficers(db, { roles: [what] }));
    } else if (scope === 'officer') {
      addOfficers(await findOfficers(db, { ids: [target.slice('officer.'.length)] }));
    }
  }
  return [...found.values()];
}

/**
 * How to reach a recipient: Telegram when the bot runs and they have an id, else SMS to their
 * phone. Null when there is no way: the recipient is recorded as unreachable, and a level nobody
 * can be reached at is a `notification_failed`. Only a Tamtam with no provider at all (the demo,
 * training, the tests) gives its cards to the simulator's outbox instead: with Telegram or SMS on,
 * a card no one reads must never count as sent.
 */
export function deliveryAddress(r: Recipient, channels: Channels): { channel: ChannelName; to: string } | null {
  const simulatorOnly = channels.has('simulator') && !channels.has('telegram') && !channels.has('sms');
  if (r.kind === 'group') {
    if (channels.has('telegram') && r.office.telegramChatId) return { channel: 'telegram', to: r.office.telegramChatId };
    return simulatorOnly ? { channel: 'simulator', to: `office:${r.office.id}` } : null;
  }
  const { officer } = r;
  if (channels.has('telegram') && officer.telegramId) return { channel: 'telegram', to: String(officer.telegramId) };
  if (channels.has('sms') && officer.phone) return { channel: 'sms', to: officer.phone };
  return simulatorOnly ? { channel: 'simulator', to: `officer:${officer.id}` } : null;
}
