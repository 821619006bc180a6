import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInbounds } from '../../src/db/inbound.js';
import { inboundMessages } from '../../src/db/schema/index.js';
import { inboundMeta, sealLegacyInboundMeta } from '../../src/workflows/alerts/inbound-meta.js';
import { alertRows } from '../helpers/alerts.js';
import { eventually, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const reporter = 700000777;

/** A Telegram update as an earlier version stored it: whole, in the clear, the sender's names included. */
const legacyUpdate = (updateId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    from: { id: reporter, is_bot: false, first_name: 'Aminata', last_name: 'Coulibaly', username: 'aminata_c', language_code: 'fr' },
    chat: { id: reporter, first_name: 'Aminata', last_name: 'Coulibaly', username: 'aminata_c', type: 'private' },
    date: Math.floor(Date.now() / 1000),
    text,
  },
});

describe('Telegram updates stored in the clear by an earlier version', () => {
  let app: TestTamtam;
  beforeAll(async () => {
    app = await startTestTamtam({
      backend: 'postgres',
      deployment: testDeployment({ ackTimeout: '1h' }),
      start: { workers: { reconcile: { everyMs: 300, staleAfterMs: 100 } } },
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('are still read (the warning becomes an alert), then sealed without the names, what Tamtam reads kept', async () => {
    const [id] = await insertInbounds(app.deps.db, [
      {
        channel: 'telegram',
        providerMessageId: '990001',
        fromHash: app.deps.pii.hash(`telegram:${reporter}`),
        fromEnc: app.deps.pii.encrypt(String(reporter)),
        text: 'Hommes armés près de Mopti, ils tirent',
        meta: { update: legacyUpdate(990001, 'Hommes armés près de Mopti, ils tirent') },
        receivedAt: new Date(),
      },
    ]);
    // The reconciler finds the message and the inbound step reads its update in the clear.
    const alert = await eventually(
      async () => (await alertRows(app)).find((a) => a.text === 'Hommes armés près de Mopti, ils tirent' && a.routedAt),
      {
        what: 'the alert',
      },
    );
    expect(alert.officeId).toBe('mopti');

    expect(await sealLegacyInboundMeta(app.deps.db, app.deps.pii)).toBe(1);
    const row = (await app.deps.db.select().from(inboundMessages).where(eq(inboundMessages.id, id!)))[0]!;
    expect(Object.keys(row.meta)).toEqual(['sealed']);
    expect(JSON.stringify(row)).not.toMatch(/Aminata|Coulibaly|aminata_c|700000777/);
    const kept = inboundMeta(app.deps.pii, row) as { update: ReturnType<typeof legacyUpdate> };
    expect(kept.update.message).toEqual({
      message_id: 990001,
      date: kept.update.message.date,
      chat: { id: reporter, type: 'private' },
      from: { id: reporter, is_bot: false },
      text: 'Hommes armés près de Mopti, ils tirent',
    });
    // A second start finds nothing left to seal.
    expect(await sealLegacyInboundMeta(app.deps.db, app.deps.pii)).toBe(0);
  });
});
