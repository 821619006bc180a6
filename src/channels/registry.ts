import type { z } from 'zod';
import type { Channel, ChannelContext, ChannelName } from './channel.js';
import { simulatorAdapter } from './simulator.js';
import { telegramAdapter } from './telegram-adapter.js';
import { twilioAdapter } from './twilio-adapter.js';

/**
 * Every channel adapter, by the key its settings have in the configuration (as grammY lists its
 * adapters). Adding a provider (another SMS gateway) is its adapter file and one line here.
 */
export const channelAdapters = {
  simulator: simulatorAdapter,
  telegram: telegramAdapter,
  twilio: twilioAdapter,
} as const;

type Adapters = typeof channelAdapters;

/** Each adapter's settings, as the configuration holds them (undefined: the adapter is off). */
export type ChannelSettings = { [K in keyof Adapters]?: NonNullable<ReturnType<Adapters[K]['settings']>> };

/** Every adapter's environment variables, for the configuration's schema. */
export const channelEnv = Object.assign({}, ...Object.values(channelAdapters).map((a) => a.env)) as z.ZodRawShape;

/** The channels this process can use, by name. */
export interface Channels {
  get(name: ChannelName): Channel | undefined;
  has(name: ChannelName): boolean;
  list(): Channel[];
}

/** Builds the channel of every adapter the configuration turns on (loading its provider's library then). */
export async function createChannels(settings: ChannelSettings, context: ChannelContext): Promise<Channels> {
  const byName = new Map<ChannelName, Channel>();
  for (const [key, adapter] of Object.entries(channelAdapters) as [keyof Adapters, Adapters[keyof Adapters]][]) {
    const own = settings[key];
    if (own !== undefined)
      byName.set(adapter.channel, await (adapter.create as (s: typeof own, c: ChannelContext) => Channel | Promise<Channel>)(own, context));
  }
  return {
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    list: () => [...byName.values()],
  };
}
