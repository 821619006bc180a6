import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focalPoints } from '../../src/db/schema/index.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { fakeProviderEnv } from '../fakes/env.js';
import { inboundSmsParams, signedTwilioWebhook } from '../fakes/sign.js';
import { alertRows } from '../helpers/alerts.js';
import { queueBackends } from '../helpers/env.js';
import { eventually, freePort, startTestTamtam, testDeployment, type TestTamtam } from '../helpers/tamtam.js';

const TWILIO_NUMBER = '+22320000000';
const DIALLO = '+22370000001'; // officer, Mopti

/** A reporter text as the locale file words it, filled in here (not through Tamtam's i18n). */
const expected = (language: string, key: string, vars: Record<string, string> = {}) => {
  const template = (JSON.parse(readFileSync(new URL(`../../locales/${language}/reporter.json`, import.meta.url), 'utf8')) as Record<string, string>)[
    key
  ]!;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name]!);
};

/**
 * First warnings as focal points write them (in SMS spelling: no ɛ/ɔ in Bambara or Lingala), from
 * numbers of the countries where each language is spoken; the words are ones the lexicons know.
 */
const firstWarnings = [
  { language: 'en', from: '+211921234567', text: 'Armed men attacked the market near Mopti this morning, people are fleeing' },
  { language: 'sw', from: '+243997001122', text: 'Watu wenye silaha wameingia kijijini usiku wa jana karibu na Beni, watu wengi wamekimbia' },
  { language: 'ar', from: '+211912001122', text: 'مسلحين هجموا على القرية امس وقتلوا الناس قرب بيراو' },
  { language: 'ln', from: '+243812345678', text: 'Bato ya mondoki bakoti na mboka lobi na butu, babomi bato mibale na Djugu' },
  { language: 'sg', from: '+23675001122', text: 'A zo ti bira a fa azo biri na kodoro ti Bria' },
  { language: 'bm', from: '+22376123456', text: 'Marifatigiw ye mogo saba faga kunun su Mopti dugu la' },
];

describe.each(queueBackends)('every reporter answered in their language, by SMS (%s queue backend)', (backend) => {
  let sms: FakeTwilio;
  let app: TestTamtam;
  let publicUrl: string;

  beforeAll(async () => {
    sms = await startFakeTwilio();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    app = await startTestTamtam({
      backend,
      // Long deadlines: no escalation in the middle of these tests. The mission's language is French.
      deployment: testDeployment({ ackTimeout: '30m' }),
      env: { PORT: String(port), PUBLIC_URL: publicUrl, ...fakeProviderEnv({ sms, twilioFrom: TWILIO_NUMBER }) },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await sms?.close();
  });

  /** Posts an inbound SMS as Twilio would, signed. */
  const textIn = async (from: string, body: string) => {
    const url = `${publicUrl}/webhooks/twilio/sms`;
    const request = signedTwilioWebhook(sms.authToken, url, inboundSmsParams({ from, to: TWILIO_NUMBER, body, accountSid: sms.accountSid }));
    const response = await fetch(url, { method: 'POST', headers: request.headers, body: request.payload });
    expect(response.status).toBe(200);
  };
  /** The SMS bodies sent to a number, oldest first. */
  const bodiesTo = (to: string) => sms.messages().filter((m) => m.to === to);
  /** Waits for the `n`th SMS (1-based) to a number. */
  const nthTo = (to: string, n: number) =>
    eventually(async () => bodiesTo(to)[n - 1], { what: `SMS ${n} to ${to}`, timeout: 20_000 }).then((m) => ({
      body: m.body,
      segments: m.num_segments,
    }));
  const alertOf = (text: string) => eventually(async () => (await alertRows(app)).find((a) => a.text === text), { what: 'the alert' });

  it('confirms first warnings in English, Swahili, Arabic, Lingala, Sango and Bambara each in its own language, in one SMS', async () => {
    // Together, as a burst arrives: the warnings are written in one transaction.
    await Promise.all(firstWarnings.map((w) => textIn(w.from, w.text)));
    for (const w of firstWarnings) {
      const alert = await alertOf(w.text);
      const confirmation = await nthTo(w.from, 1);
      expect({ language: w.language, ...confirmation }).toEqual({
        language: w.language,
        body: expected(w.language, 'confirmation', { ref: alert.ref }),
        segments: '1',
      });
      expect(alert.language).toBe(w.language);
    }
    // And their language is learnt: every later message to them is in it.
    const learnt = new Map((await app.deps.db.select().from(focalPoints)).map((f) => [f.id, f.language]));
    for (const w of firstWarnings) expect(learnt.get((await alertOf(w.text)).focalPointId!)).toBe(w.language);
  });

  it("answers a known reporter's follow-up in the language learnt from their first warning, whatever the follow-up says", async () => {
    const english = firstWarnings[0]!;
    const alert = await alertOf(english.text);
    await nthTo(english.from, 1);
    await textIn(english.from, 'ok');
    expect((await nthTo(english.from, 2)).body).toBe(expected('en', 'followUp', { ref: alert.ref }));
  });

  it("answers a first warning the classifier cannot place in a language in the mission's language", async () => {
    await textIn('+22376123499', 'SOS Mopti');
    const alert = await alertOf('SOS Mopti');
    expect((await nthTo('+22376123499', 1)).body).toBe(expected('fr', 'confirmation', { ref: alert.ref }));
  });

  it('LANG SW switches a reporter to Swahili: the follow-up thanks and the officer’s question, though they write in French', async () => {
    const from = '+22376123457';
    const warning = 'Des hommes armés encerclent le village près de Mopti';
    await textIn(from, warning);
    const alert = await alertOf(warning);
    expect((await nthTo(from, 1)).body).toBe(expected('fr', 'confirmation', { ref: alert.ref }));

    await textIn(from, 'LANG SW');
    expect((await nthTo(from, 2)).body).toBe('Lugha imewekwa: SW.');
    await textIn(from, 'Ils sont nombreux, venez vite');
    expect((await nthTo(from, 3)).body).toBe(`Asante, ujumbe wako umeongezwa kwenye taarifa ${alert.ref}.`);

    // The Mopti officer's question, by SMS, reaches the reporter in Swahili around the officer's words.
    await textIn(DIALLO, `R ${alert.ref} Combien sont-ils ?`);
    expect((await nthTo(from, 4)).body).toBe(`Misheni, taarifa ${alert.ref}: Combien sont-ils ?`);
  });

  it('a reporter who set LANG first keeps it for their warning, and LANG lists the seven languages', async () => {
    const from = '+243812345679';
    await textIn(from, 'langue kiswahili');
    expect((await nthTo(from, 1)).body).toBe('Lugha imewekwa: SW.');
    const warning = 'Des hommes armés ont tiré sur le marché de Beni ce matin';
    await textIn(from, warning);
    const alert = await alertOf(warning);
    expect((await nthTo(from, 2)).body).toBe(expected('sw', 'confirmation', { ref: alert.ref }));

    await textIn(from, 'LANG XX');
    expect((await nthTo(from, 3)).body).toBe('Lugha haijulikani. Zilizopo: AR, BM, EN, FR, LN, SG, SW.');
  });
});
