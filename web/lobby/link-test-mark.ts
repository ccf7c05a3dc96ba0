// What one end of a lobby link shows of the link's throughput test (lobby-page.tsx, "Your links"), whichever end
// led it. Pure: the pair store's progress and last result in, a state and a sentence out.
import type { LinkQuality } from '../../common/link-quality';
import type { LinkTestProgress } from '../quality/link-test-driver';
import { mbps } from '../quality/quality-verdict';

export interface LinkTestMark {
  /** 'running' while a test measures; else the last result's status, or 'none'. */
  state: 'none' | 'running' | LinkQuality['status'];
  text: string;
}

export function linkTestMark(progress: LinkTestProgress | null, quality: LinkQuality | null): LinkTestMark {
  // 'starting' is not a test yet: on the end that does not lead, it is the follower listening for the next one
  // (armed when the channel opens and again when a test ends), as the room's panels read it too.
  const testing = progress !== null && progress.phase !== 'starting' && progress.phase !== 'done' && progress.fraction < 1;
  if (testing) return { state: 'running', text: `testing the throughput… ${Math.round(progress.fraction * 100)} %` };
  if (!quality) return { state: 'none', text: '' };
  const up = quality.upload?.bps;
  const down = quality.download?.bps;
  return { state: quality.status, text: `throughput ${up != null ? mbps(up) : '—'} up, ${down != null ? mbps(down) : '—'} down` };
}
