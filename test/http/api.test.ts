import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actOnAlert } from '../../src/workflows/officers/actions.js';
import { reportAndWaitNotified } from '../helpers/alerts.js';
import { adminToken, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';

describe('the HTTP API', () => {
  let app: TestTamtam;
  let refs: string[];
  beforeAll(async () => {
    app = await startTestTamtam({ backend: 'redis' });
    const first = await reportAndWaitNotified(app, '+22376700001', 'Hommes armés à Mopti, ils arrivent');
    const second = await reportAndWaitNotified(app, '+22376700002', 'Affrontements entre groupes armés à Bourem hier');
    await actOnAlert(app.deps, { alert: { ref: first.ref }, officerId: 'o-diallo', action: 'acknowledge' });
    refs = [first.ref, second.ref];
  });
  afterAll(async () => app?.stop());

  it('answers health and readiness with the queue backend in use', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, status: 'ready', database: 'ok', queue: 'ok', queueBackend: 'redis' });
  });

  it('refuses the API without the right bearer token', async () => {
    expect((await fetch(`${app.url}/api/alerts`)).status).toBe(401);
    const wrong = await fetch(`${app.url}/api/alerts`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'missing or wrong bearer token' });
    expect((await fetch(`${app.url}/api/alerts`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(200);
  });

  it('lists alerts newest first, filtered by status and office', async () => {
    const all = (await (await app.api('/api/alerts')).json()) as { ref: string; office: string; status: string }[];
    expect(all.map((a) => a.ref)).toEqual([...refs].reverse());
    const acknowledged = (await (await app.api('/api/alerts?status=acknowledged')).json()) as { ref: string }[];
    expect(acknowledged.map((a) => a.ref)).toEqual([refs[0]]);
    const gao = (await (await app.api('/api/alerts?office=gao&status=notified,acknowledged')).json()) as { ref: string; office: string }[];
    expect(gao).toEqual([expect.objectContaining({ ref: refs[1], office: 'gao' })]);
    expect(await (await app.api('/api/alerts?limit=1')).json()).toHaveLength(1);
    expect(await (await app.api(`/api/alerts?since=${new Date(Date.now() + 60_000).toISOString()}`)).json()).toEqual([]);
  });

  it.each([
    ['/api/alerts?status=open', 'status'],
    ['/api/alerts?limit=0', 'limit'],
    ['/api/alerts?limit=10001', 'limit'],
    ['/api/alerts?since=yesterday', 'since: must be an ISO 8601 date or time'],
    ['/api/alerts?office=Mopti%20Office', 'office: must be an office id'],
    ['/api/alerts?colour=red', 'colour'],
    ['/api/alerts/not-a-ref!', 'ref: must be an alert reference'],
  ])('answers %s with 400 and a reason', async (url, reason) => {
    const response = await app.api(url);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(reason);
  });

  it('shows one alert with its full timeline, and 404 for an unknown reference', async () => {
    const response = await app.api(`/api/alerts/${refs[0]!.toLowerCase()}`);
    expect(response.status).toBe(200);
    const alert = (await response.json()) as Record<string, unknown> & {
      events: { type: string; actor: string; from: string | null; to: string | null }[];
    };
    expect(alert).toMatchObject({
      ref: refs[0],
      status: 'acknowledged',
      office: 'mopti',
      text: 'Hommes armés à Mopti, ils arrivent',
      escalationLevel: 0,
      place: expect.objectContaining({ name: 'Mopti', admin1: 'Mopti' }),
    });
    expect(alert.acknowledgedAt).toEqual(expect.any(String));
    expect(alert.events.map((e) => e.type)).toEqual(expect.arrayContaining(['created', 'classified', 'routed', 'notified', 'acknowledged']));
    expect(alert.events.find((e) => e.type === 'acknowledged')).toMatchObject({ actor: 'officer:o-diallo', from: 'notified', to: 'acknowledged' });
    // The reporter is never named: only a pseudonym.
    expect(JSON.stringify(alert)).not.toContain('+22376700001');
    expect((await app.api('/api/alerts/ZZZZZ')).status).toBe(404);
  });

  it('exposes Prometheus metrics: alerts by status, queue depths, escalations, acknowledge latency', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('tamtam_alerts{status="acknowledged"} 1');
    expect(text).toContain('tamtam_alerts{status="notified"} 1');
    expect(text).toMatch(/tamtam_queue_jobs\{queue="escalation",state="delayed"\} 1/);
    expect(text).toContain('tamtam_escalations_total 0');
    expect(text).toContain('tamtam_acknowledge_latency_seconds_bucket{le="30"} 1');
    expect(text).toContain('tamtam_acknowledge_latency_seconds_count 1');
  });

  it('answers an unknown route and a malformed simulator message with 4xx and a reason', async () => {
    const missing = await fetch(`${app.url}/nowhere`);
    expect(missing.status).toBe(404);
    const bad = await app.api('/simulator/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"from":"+22376700003"}',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/text/);
    const broken = await app.api('/simulator/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":' });
    expect(broken.status).toBe(400);
  });

  it('treats a redelivered message as one', async () => {
    const before = ((await (await app.api('/api/alerts')).json()) as unknown[]).length;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await app.send('+22376700009', 'Enlèvement à Mopti', 'provider-id-1')).status);
    expect(answers).toEqual([202, 200, 200, 200, 200]);
    await new Promise((r) => setTimeout(r, 500));
    expect(((await (await app.api('/api/alerts')).json()) as unknown[]).length).toBe(before + 1);
  });
});
