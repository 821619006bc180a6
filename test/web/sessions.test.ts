import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestTamtam, type TestTamtam } from '../helpers/tamtam.js';
import { sessionIdleMs, touchWebSession } from '../../src/db/sessions.js';

describe('operations room sessions over HTTP', () => {
  let app: TestTamtam;
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    redirect: 'manual' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const signIn = () => fetch(`${app.url}/signin`, form({ token: adminToken, next: '/' }));

  beforeAll(async () => {
    app = await startTestTamtam({ backend: 'postgres', env: { PUBLIC_URL: 'https://tamtam.example.org' } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('gives an HttpOnly, SameSite=Lax, Secure cookie behind https; the board needs it', async () => {
    expect((await fetch(`${app.url}/`, { redirect: 'manual' })).headers.get('location')).toBe('/signin?next=%2F');
    expect((await fetch(`${app.url}/board/rows`)).status).toBe(401);
    const response = await signIn();
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/^tamtam_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const board = await fetch(`${app.url}/`, { headers: { cookie } });
    expect(board.status).toBe(200);
    expect(board.headers.get('content-security-policy')).toContain("default-src 'none'");
    // The polled lines answer 304 when nothing changed.
    const rows = await fetch(`${app.url}/board/rows`, { headers: { cookie } });
    const again = await fetch(`${app.url}/board/rows`, { headers: { cookie, 'if-none-match': rows.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('ends a session on /logout (with the form’s CSRF token) and after 12 hours without a request', async () => {
    const cookie = (await signIn()).headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(`${app.url}/`, { headers: { cookie } })).text();
    const csrf = page.match(/name="_csrf" value="([\w-]+)"/)![1]!;
    expect((await fetch(`${app.url}/logout`, { ...form({ _csrf: 'wrong' }), headers: { ...form({}).headers, cookie } })).status).toBe(403);
    const out = await fetch(`${app.url}/logout`, { ...form({ _csrf: csrf }), headers: { ...form({}).headers, cookie } });
    expect(out.headers.get('location')).toBe('/signin');
    expect((await fetch(`${app.url}/`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);

    const token = (await signIn()).headers.get('set-cookie')!.split(';')[0]!.split('=')[1]!;
    expect(await touchWebSession(app.deps.db, token, new Date(Date.now() + sessionIdleMs - 60_000))).not.toBeNull();
    expect(await touchWebSession(app.deps.db, token, new Date(Date.now() + 2 * sessionIdleMs))).toBeNull();
  });

  it('refuses a form posted from another site', async () => {
    const response = await fetch(`${app.url}/signin`, {
      ...form({ token: adminToken }),
      headers: { ...form({}).headers, origin: 'https://elsewhere.example' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('limits sign-in attempts per address (in this process’s memory)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await fetch(`${app.url}/signin`, form({ token: 'guess-guess-guess' }))).status);
    expect(statuses.slice(0, 7).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect((await signIn()).status).toBe(429);
  });
});

describe('sign-in limits behind a reverse proxy (TRUST_PROXY)', () => {
  let app: TestTamtam;
  const signIn = (token: string, client: string) =>
    fetch(`${app.url}/signin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': client },
      body: new URLSearchParams({ token, next: '/' }).toString(),
    });

  beforeAll(async () => {
    app = await startTestTamtam({ backend: 'postgres', env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('counts failures per client behind the proxy, and never a successful sign-in', async () => {
    // A shift signing in from one office's address: successes are not counted.
    for (let i = 0; i < 15; i++) expect((await signIn(adminToken, '203.0.113.7')).status).toBe(303);
    // Someone guessing from another address is stopped after 10 failures…
    const guesses: number[] = [];
    for (let i = 0; i < 12; i++) guesses.push((await signIn('guess-guess-guess', '198.51.100.9')).status);
    expect(guesses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(guesses.slice(10)).toEqual([429, 429]);
    expect((await signIn(adminToken, '198.51.100.9')).status).toBe(429);
    // …and the office behind its own address still signs in.
    expect((await signIn(adminToken, '203.0.113.7')).status).toBe(303);
  });
});
