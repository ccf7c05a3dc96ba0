// What one end of a lobby link shows of the link's call test (lobby-page.tsx, "Your links"), whichever end led it:
// per direction the verdict's label, resolution @ fps, bit rate, MOS and the first reason. Pure: the pair store's
// call state in, plain data out. The picked cell's full pair report shows the room's whole call panel.
import type { CallDirection, CallLevel, CallTest } from '../../common/call-report';
import { mbps } from '../quality/quality-verdict';
import type { CallState } from '../store/call-slice';

export interface CallDirectionMark {
  /** 'outgoing': this page → the other; 'incoming': the other → this page. */
  direction: 'outgoing' | 'incoming';
  level: CallLevel | null;
  /** The verdict's label, or 'not measured'. */
  label: string;
  /** Resolution @ fps, bit rate, MOS (what was measured). */
  figures: string;
  /** Why it does not reach the level above (the first reason), or null. */
  reason: string | null;
}

export interface CallMark {
  /** 'running' while a call runs (or is about to); else the last result's status, or 'none'. */
  state: 'none' | 'running' | CallTest['status'];
  /** The call's own reason (skipped, failed, partial), or null. */
  reason: string | null;
  directions: CallDirectionMark[];
}

function directionMark(direction: CallDirectionMark['direction'], d: CallDirection | null): CallDirectionMark {
  if (!d) return { direction, level: null, label: 'not measured', figures: '', reason: null };
  const s = d.summary;
  const figures = [
    s.height !== null ? `${s.width ?? '?'}×${s.height}${s.fps !== null ? ` @ ${s.fps.toFixed(0)} fps` : ''}` : null,
    s.bitrateBps !== null ? mbps(s.bitrateBps) : null,
    s.mos !== null ? `MOS ${s.mos.toFixed(1)}` : null,
  ].filter((x): x is string => x !== null);
  return { direction, level: d.verdict.level, label: d.verdict.label, figures: figures.join(', '), reason: d.verdict.reasons[0] ?? null };
}

export function callMark(call: Pick<CallState, 'phase' | 'result'>): CallMark {
  if (call.phase === 'pending' || call.phase === 'running') return { state: 'running', reason: null, directions: [] };
  const r = call.result;
  if (!r) return { state: 'none', reason: null, directions: [] };
  const measured = r.incoming !== null || r.outgoing !== null;
  return {
    state: r.status,
    reason: r.reason,
    directions: measured ? [directionMark('outgoing', r.outgoing), directionMark('incoming', r.incoming)] : [],
  };
}
