// Messages p2pcheck exchanges over its data channel, as JSON text keyed on `t`. Unknown or malformed messages
// parse to null so a newer peer cannot break an older one.
export type ChannelMessage = { t: 'ping'; seq: number; ts: number } | { t: 'pong'; seq: number; ts: number };

export function parseChannelMessage(data: unknown): ChannelMessage | null {
  if (typeof data !== 'string' || data.length > 4096) return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const m = v as Record<string, unknown>;
  switch (m.t) {
    case 'ping':
    case 'pong':
      return typeof m.seq === 'number' && typeof m.ts === 'number' ? { t: m.t, seq: m.seq, ts: m.ts } : null;
    default:
      return null;
  }
}

export const encodeChannelMessage = (m: ChannelMessage) => JSON.stringify(m);
