import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the environment', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, publicUrl: 'http://localhost:8080', logLevel: 'info' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.telegram).toBeUndefined();
    expect(config.twilio).toBeUndefined();
  });

  it('names each bad variable on its own line', () => {
    const lines = problems({ PORT: 'eighty', REDIS_URL: 'localhost:6379', DATABASE_URL: 'postgres://db/tamtam', TWILIO_ACCOUNT_SID: 'AC123' });
    expect(lines).toEqual(
      expect.arrayContaining([
        'PORT: must be a port number (0–65535)',
        'REDIS_URL: must be a URL (redis: or rediss:)',
        'PII_KEY: is required when DATABASE_URL is set (it is generated only in embedded mode)',
        'TWILIO_ACCOUNT_SID: must be AC followed by 32 hex digits',
        'TWILIO_AUTH_TOKEN: is required when Twilio is configured',
      ]),
    );
  });

  it('refuses a PII key of the wrong size and a Telegram bot without a webhook secret', () => {
    expect(problems({ PII_KEY: Buffer.alloc(16).toString('base64') })).toEqual([
      'PII_KEY: must be 32 bytes, base64-encoded (openssl rand -base64 32)',
    ]);
    expect(problems({ TELEGRAM_BOT_TOKEN: '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345' })).toEqual([
      'TELEGRAM_WEBHOOK_SECRET: is required with TELEGRAM_BOT_TOKEN in webhook mode',
    ]);
  });

  it('reads TRUST_PROXY as a number of proxies or their addresses, and refuses anything else with an example', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback,::1' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback', '::1']);
    expect(loadConfig({}).trustProxy).toBeUndefined();
    for (const bad of ['yes', '10.0.0.0/33', 'proxy.example.org', '127.0.0.1/8/8'])
      expect(problems({ TRUST_PROXY: bad }), bad).toEqual([
        'TRUST_PROXY: must be a number of proxies (1) or their addresses and networks (127.0.0.1,10.0.0.0/8,loopback)',
      ]);
  });

  it('stops start-up with one line per problem', async () => {
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '99999', LOG_LEVEL: 'loud' },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr.trim().split('\n')).toEqual([
      'config: PORT: must be a port number (0–65535)',
      'config: LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
    ]);
  });
});
