import { Redis } from 'ioredis';

/** Deletes every Redis key of one queue namespace (BullMQ prefix), in batches. */
export async function deleteQueueNamespace(redisUrl: string, namespace: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${namespace}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
  } finally {
    await redis.quit();
  }
}
