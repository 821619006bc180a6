import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ChannelName } from '../../channels/channel.js';
import type { ReporterAddress } from '../../db/focal-points.js';
import { officerByPhone, officerByTelegramId, type OfficerRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';

/** The sender's address as a reporter key: phone numbers in E.164 (WhatsApp and SMS are one person). */
export function reporterAddress(channel: ChannelName, from: string): ReporterAddress {
  if (channel === 'telegram') return { kind: 'telegram', value: from };
  const bare = from.replace(/^whatsapp:/, '');
  return { kind: 'phone', value: parsePhoneNumberFromString(bare)?.number ?? bare };
}

/** The sender's address is an officer's in the loaded deployment (no query: see findOfficer). */
export function fromOfficer(deps: WorkflowDeps, address: ReporterAddress): boolean {
  if (address.kind === 'telegram') return /^\d+$/.test(address.value) && deps.deployment.officers.some((o) => o.telegramId === Number(address.value));
  return deps.deployment.officers.some((o) => o.phone === address.value);
}

/**
 * The officer behind a sender, if any. Officers' numbers and Telegram ids come only from the
 * deployment file, which this process loaded and synchronised at start, so a sender the file does
 * not name is no officer and needs no query.
 */
export async function findOfficer(deps: WorkflowDeps, channel: ChannelName, from: string): Promise<OfficerRow | null> {
  const address = reporterAddress(channel, from);
  if (!fromOfficer(deps, address)) return null;
  return address.kind === 'telegram' ? officerByTelegramId(deps.db, Number(address.value)) : officerByPhone(deps.db, address.value);
}
