import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminAuth } from '../../src/http/auth.js';
import { registerReportRoutes } from '../../src/http/reports.js';
import { useFreshDatabase } from '../helpers/database.js';
import { insertOffices, insertTimeline } from '../helpers/timelines.js';

const token = 'reports-test-token';
const phone = '+22376000999';
const name = 'Amadou Traoré';

describe('the report endpoints', () => {
  const database = useFreshDatabase();
  let app: FastifyInstance;
  let refs: string[] = [];
  const get = (url: string, auth = true) => app.inject({ method: 'GET', url, headers: auth ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    const { db, pool } = database();
    await insertOffices(pool, ['mopti', 'gao']);
    // A registered focal point whose number and name are in the table (as if not encrypted):
    // the export must show neither.
    const fp = await pool.query<{ id: number }>(
      `insert into focal_points (pseudonym, phone_hash, phone_enc, name_enc, registered) values ('PF-3F2A', 'h', $1, $2, true) returning id`,
      [phone, name],
    );
    const places = await pool.query<{ id: number }>(
      `insert into places (source, name, admin1, admin2, admin3, lat, lon) values
         ('test', 'Ségou', 'Ségou', 'Ségou', 'Ségou', 13.43, -6.26), ('test', 'Bourem', 'Gao', 'Bourem', null, 16.95, -0.35) returning id`,
    );
    const [segou, bourem] = places.rows.map((r) => r.id);
    refs = [
      (
        await insertTimeline(pool, {
          received: '2026-07-03T08:00:00Z',
          office: 'mopti',
          placeId: segou,
          focalPointId: fp.rows[0]!.id,
          type: 'armed_group_presence',
          text: `Des hommes armés près du marché de Ségou, "rappelez" au ${phone} ou au 76 00 09 99`,
          cardSent: 4,
          acknowledged: 100,
          resolved: { at: 900, outcomes: ['patrol', 'humanitarian'] },
        })
      ).ref,
      (
        await insertTimeline(pool, {
          received: '2026-07-20T08:00:00Z',
          office: 'gao',
          placeId: bourem,
          type: 'armed_clash',
          text: '=cmd|x, affrontements',
        })
      ).ref,
      (await insertTimeline(pool, { received: '2025-07-10T08:00:00Z', office: 'gao', placeId: bourem, type: 'armed_clash' })).ref,
      (await insertTimeline(pool, { received: '2026-07-21T08:00:00Z', office: 'gao', placeId: bourem, channel: 'simulator' })).ref,
    ];
    app = Fastify();
    registerReportRoutes(app, { db, authorize: createAdminAuth(token, pino({ level: 'silent' })), timezone: 'Africa/Bamako' });
    await app.ready();
  });
  afterAll(async () => app?.close());

  it('refuses every report without the bearer token', async () => {
    for (const url of [
      '/api/reports/response?from=2026-01-01&to=2027-01-01',
      '/api/reports/seasonal?from=2026-01-01&to=2027-01-01',
      '/api/exports/alerts.csv?from=2026-01-01&to=2027-01-01',
    ]) {
      expect((await get(url, false)).statusCode).toBe(401);
    }
  });

  it.each([
    ['/api/reports/response?to=2026-02-01', 'from:'],
    ['/api/reports/response?from=2026-13-01&to=2027-01-01', 'from: is not a date of the calendar'],
    ['/api/reports/response?from=2026-02-30&to=2027-01-01', 'from: is not a date of the calendar'],
    ['/api/reports/response?from=yesterday&to=2027-01-01', 'from: must be a date YYYY-MM-DD'],
    ['/api/reports/response?from=2026-02-01&to=2026-02-01', 'to: must be after from (to is exclusive)'],
    ['/api/reports/response?from=2000-01-01&to=2027-01-01', 'to: the period may cover at most 3700 days'],
    ['/api/reports/response?from=2026-01-01&to=2027-01-01&by=office,colour', 'by.1: unknown "colour" (use office, type, severity, month)'],
    ['/api/reports/response?from=2026-01-01&to=2027-01-01&by=office,office', 'by: names a grouping twice'],
    ['/api/reports/response?from=2026-01-01&to=2027-01-01&exercise=maybe', 'exercise:'],
    ['/api/reports/response?from=2026-01-01&to=2027-01-01&colour=red', 'colour'],
    ['/api/reports/seasonal?from=2026-01-01&to=2027-01-01&by=admin3', 'by:'],
    ['/api/exports/alerts.csv?from=2026-01-01', 'to:'],
  ])('answers %s with 400 and a one-line reason', async (url, reason) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    const { error } = response.json<{ error: string }>();
    expect(error).toContain(reason);
    expect(error).not.toContain('\n');
  });

  it('answers the response report with its period, definitions, rows and total', async () => {
    const response = await get('/api/reports/response?from=2026-07-01&to=2026-08-01&by=office,month');
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      from: string;
      to: string;
      by: string[];
      timezone: string;
      definitions: Record<string, string>;
      rows: Record<string, unknown>[];
      total: Record<string, unknown>;
    }>();
    expect(body).toMatchObject({ from: '2026-07-01', to: '2026-08-01', by: ['office', 'month'], timezone: 'Africa/Bamako' });
    expect(body.definitions.ackRate).toBe('acknowledged / received (null when nothing was received).');
    expect(body.rows.map((r) => [r.office, r.month, r.received, r.ackRate])).toEqual([
      ['gao', '2026-07', 1, 0],
      ['mopti', '2026-07', 1, 1],
    ]);
    expect(body.total).toMatchObject({
      received: 2,
      acknowledged: 1,
      ackRate: 0.5,
      medianTimeToAcknowledge: 100,
      outcomes: { patrol: 1, humanitarian: 1 },
    });
    const withExercises = (await get('/api/reports/response?from=2026-07-01&to=2026-08-01&exercise=1')).json<{ total: { received: number } }>();
    expect(withExercises.total.received).toBe(3);
  });

  it('answers the seasonal report per place and month of the year, by threat type', async () => {
    const body = (await get('/api/reports/seasonal?from=2025-01-01&to=2027-01-01&by=admin2')).json<{ rows: Record<string, unknown>[] }>();
    expect(body.rows).toEqual([
      { admin1: 'Gao', admin2: 'Bourem', month: 7, warnings: 2, types: expect.objectContaining({ armed_clash: 2, attack_on_civilians: 0 }) },
      { admin1: 'Ségou', admin2: 'Ségou', month: 7, warnings: 1, types: expect.objectContaining({ armed_group_presence: 1 }) },
    ]);
  });

  it('exports alerts as CSV with a BOM, accents intact, HXL tags on request, and no number or name', async () => {
    const response = await get('/api/exports/alerts.csv?from=2026-07-01&to=2026-08-01&hxl=1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = response.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe(
      'event_date,admin1,admin2,admin3,location,latitude,longitude,notes,ref,office,threat_type,other_threat_types,urgency,severity,status,outcomes,' +
        'time_to_notify,time_to_acknowledge,time_to_first_reply,time_to_respond,time_to_close,escalation_level,reporter,language,reports',
    );
    expect(lines[1]).toMatch(
      /^#date\+reported,#adm1\+name,#adm2\+name,#adm3\+name,#loc\+name,#geo\+lat,#geo\+lon,#description,#event\+code,#org\+name,#event\+type,/,
    );
    expect(lines[2]).toBe(
      `2026-07-03,Ségou,Ségou,Ségou,Ségou,13.43,-6.26,"Des hommes armés près du marché de Ségou, ""rappelez"" au [phone] ou au [phone]",${refs[0]},mopti,armed_group_presence,,ongoing,high,resolved,patrol;humanitarian,4,100,,,900,0,PF-3F2A,fr,1`,
    );
    expect(lines[3]).toBe(
      `2026-07-20,Gao,Bourem,,Bourem,16.95,-0.35,"'=cmd|x, affrontements",${refs[1]},gao,armed_clash,,ongoing,high,notified,,3,,,,,0,,fr,1`,
    );
    expect(lines.slice(4)).toEqual(['']);
    const text = bytes.toString('utf8');
    for (const secret of [phone, '76 00 09 99', name, 'Traor']) expect(text).not.toContain(secret);
    const plain = (await get('/api/exports/alerts.csv?from=2026-07-01&to=2026-08-01&exercise=1')).rawPayload.toString('utf8').split('\r\n');
    expect(plain[1]).toMatch(/^2026-07-03,/);
    expect(plain).toHaveLength(5);
  });
});
