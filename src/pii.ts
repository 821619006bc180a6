import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Protects focal points' identities at rest: AES-256-GCM for phone numbers, Telegram ids and
 * names; HMAC-SHA-256 (a key derived from the same PII_KEY) to look them up without decrypting.
 */
export interface Pii {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Keyed hash of an address, stable across restarts: the lookup key. */
  hash(value: string): string;
  /** `PF-3F2A`: what officers see. `length` grows on the rare collision. */
  pseudonym(value: string, length?: number): string;
}

export function createPii(keyBase64: string): Pii {
  const master = Buffer.from(keyBase64, 'base64');
  if (master.length !== 32) throw new Error('PII_KEY must be 32 bytes, base64-encoded');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
  const encryptionKey = derive('tamtam pii encryption v1');
  const hashKey = derive('tamtam pii lookup v1');
  const hmac = (value: string) => createHmac('sha256', hashKey).update(value).digest();
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed.replace(/^v1:/, ''), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    hash: (value) => hmac(`address:${value}`).toString('hex'),
    pseudonym: (value, length = 4) => `PF-${hmac(`pseudonym:${value}`).toString('hex').slice(0, length).toUpperCase()}`,
  };
}

/** Embedded mode only: reads `DATA_DIR/pii.key`, creating it (mode 600) on first start. */
export async function loadOrCreatePiiKey(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pii.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
