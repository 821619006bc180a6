import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from './index.js';
import { alertEvents, inboundMessages } from './schema/index.js';

/** One turn of the conversation between a reporter (by pseudonym) and the officers. */
export interface ConversationTurn {
  at: Date;
  from: 'reporter' | 'officer';
  /** `officer:<id>` for an officer's reply. */
  actor: string | null;
  text: string;
}

/**
 * The conversation about an alert: the reporter's messages (first and follow-ups) and the
 * officers' replies bridged to the reporter, in time order. Never an address or a name.
 */
export async function alertConversation(db: DbOrTx, alertId: number): Promise<ConversationTurn[]> {
  const [inbound, replies] = await Promise.all([
    db
      .select({ at: inboundMessages.receivedAt, text: inboundMessages.text })
      .from(inboundMessages)
      .where(eq(inboundMessages.alertId, alertId))
      .orderBy(asc(inboundMessages.receivedAt)),
    db
      .select({ at: alertEvents.at, actor: alertEvents.actor, data: alertEvents.data })
      .from(alertEvents)
      .where(and(eq(alertEvents.alertId, alertId), eq(alertEvents.type, 'reply_bridged')))
      .orderBy(asc(alertEvents.id)),
  ]);
  const turns: ConversationTurn[] = [
    ...inbound.map((m) => ({ at: m.at, from: 'reporter' as const, actor: null, text: m.text })),
    ...replies
      .filter((r) => r.data.direction === 'to_reporter')
      .map((r) => ({ at: r.at, from: 'officer' as const, actor: r.actor, text: String(r.data.text ?? '') })),
  ];
  return turns.sort((a, b) => a.at.getTime() - b.at.getTime());
}
