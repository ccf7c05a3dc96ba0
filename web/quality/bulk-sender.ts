// Sends bulk data on a reliable channel for a fixed time, bounded by back-pressure: it keeps at most
// `highWater` bytes queued and waits for `bufferedamountlow` (W3C webrtc-pc §6.2) before queuing more, so it
// measures the path instead of filling the browser's send buffer (which fails or closes the channel when
// full). Ends with an END marker carrying the byte count; on a reliable ordered channel it arrives last.
import type { LinkChannel } from './link-channels';
import { BULK_HIGH_WATER, BULK_LOW_WATER, bulkChunk, encodeBulkEnd } from './link-test-protocol';

export interface BulkSendOptions {
  durationMs: number;
  chunkBytes: number;
  now(): number;
  highWater?: number;
  lowWater?: number;
  /** Stops early (peer left); resolves with what was queued so far. */
  signal?: { aborted: boolean };
}

export async function sendBulk(channel: LinkChannel, opts: BulkSendOptions): Promise<{ bytesQueued: number }> {
  const high = opts.highWater ?? BULK_HIGH_WATER;
  channel.bufferedAmountLowThreshold = opts.lowWater ?? BULK_LOW_WATER;
  const chunk = bulkChunk(opts.chunkBytes);
  const end = opts.now() + opts.durationMs;
  let bytesQueued = 0;
  while (opts.now() < end && channel.readyState === 'open' && !opts.signal?.aborted) {
    while (channel.bufferedAmount < high && opts.now() < end && channel.readyState === 'open') {
      channel.send(chunk);
      bytesQueued += chunk.byteLength;
    }
    if (opts.now() >= end || channel.readyState !== 'open') break;
    // Wait for the queue to drain, but wake up when the time is over even if it never does.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        channel.removeEventListener('bufferedamountlow', done);
        channel.removeEventListener('close', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, end - opts.now()));
      channel.addEventListener('bufferedamountlow', done);
      channel.addEventListener('close', done);
    });
  }
  if (channel.readyState === 'open') channel.send(encodeBulkEnd(bytesQueued));
  return { bytesQueued };
}
