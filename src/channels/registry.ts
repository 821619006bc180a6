import type { Channel, ChannelName } from './channel.js';

/** The channels this process can use, by name. */
export interface Channels {
  get(name: ChannelName): Channel | undefined;
  has(name: ChannelName): boolean;
  list(): Channel[];
}

export function createChannels(channels: Channel[]): Channels {
  const byName = new Map(channels.map((c) => [c.name, c]));
  return {
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    list: () => [...byName.values()],
  };
}
