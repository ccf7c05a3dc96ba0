// The readable summary `p2pcheck join` and `host` print: what the page's report shows, as plain text lines. Pure:
// a ConnectivityReport in, lines out. Units come from the page's own formatters.
import type { ConnectivityReport, ReportCandidate } from '../../common/report';
import { rttMs, ms } from '../../web/format/milliseconds';
import { mbps } from '../../web/quality/quality-verdict';
import { PEER_STATE_WORDS } from '../../web/report/report-format';

const endpoint = (c: ReportCandidate) => `${c.type} ${c.protocol}${c.relayProtocol ? `/${c.relayProtocol}` : ''} ${c.address ?? '?'}:${c.port ?? '?'}`;

function countByType(cs: readonly ReportCandidate[]): string {
  if (cs.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const c of cs) counts.set(c.type, (counts.get(c.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => `${n} ${type}`).join(', ');
}

/** The one-line result: the path, or why there is none. */
export function headline(report: ConnectivityReport): string {
  if (report.path.kind !== 'none') return `path: ${report.path.label}${report.path.settled ? '' : ' (not settled yet)'}`;
  return `no path: ${PEER_STATE_WORDS[report.peerState]}`;
}

export function reportSummary(report: ConnectivityReport): string[] {
  const lines = [headline(report)];
  const sel = report.selectedPair;
  if (sel) lines.push(`  selected pair: ${endpoint(sel.local)}  <->  ${endpoint(sel.remote)}  (ICE RTT ${rttMs(sel.currentRtt)})`);
  lines.push(`  candidates: local ${countByType(report.localCandidates)}; remote ${countByType(report.remoteCandidates)}`);
  const byId = new Map([...report.localCandidates, ...report.remoteCandidates].map((c) => [c.id, c]));
  const pairs = report.pairs.slice(0, 8);
  if (pairs.length > 0) lines.push('  candidate pairs:');
  for (const p of pairs) {
    const l = byId.get(p.localId);
    const r = byId.get(p.remoteId);
    const rtt = p.currentRtt === null ? '' : `  RTT ${rttMs(p.currentRtt)}`;
    lines.push(`    ${p.state.padEnd(11)}${p.nominated ? ' nominated' : '          '}  ${l ? endpoint(l) : p.localId}  <->  ${r ? endpoint(r) : p.remoteId}${rtt}`);
  }
  if (report.pairs.length > pairs.length) lines.push(`    … and ${report.pairs.length - pairs.length} more`);
  if (report.rtt.min !== null) lines.push(`  data channel RTT: min ${rttMs(report.rtt.min)}, avg ${rttMs(report.rtt.avg)}, max ${rttMs(report.rtt.max)} (${report.rtt.samples.length} samples)`);
  const q = report.quality;
  if (q) {
    const parts = [
      q.verdict ? q.verdict.label : null,
      q.upload?.bps != null ? `up ${mbps(q.upload.bps)}` : null,
      q.download?.bps != null ? `down ${mbps(q.download.bps)}` : null,
      q.streamIn ? `loss in ${(q.streamIn.lossRatio * 100).toFixed(1)} %` : null,
      q.streamIn?.jitterMs != null ? `jitter ${rttMs(q.streamIn.jitterMs)}` : null,
      q.bufferbloat?.addedMs != null ? `bufferbloat +${ms(q.bufferbloat.addedMs)}` : null,
    ].filter((x) => x !== null);
    lines.push(`  link quality (${q.status}): ${parts.join(', ') || 'not measured'}${q.reason ? ` — ${q.reason}` : ''}`);
  }
  const rc = report.relayCheck;
  if (rc) {
    const figures = [rc.path ? rc.path : null, rc.connectMs !== null ? `connected in ${ms(rc.connectMs)}` : null, rc.rttMs !== null ? `RTT ${rttMs(rc.rttMs)}` : null, rc.throughputBps != null ? mbps(rc.throughputBps) : null].filter((x) => x !== null);
    lines.push(`  relay check: ${rc.state}${figures.length ? ` (${figures.join(', ')})` : ''}${rc.reason ? ` — ${rc.reason}` : ''}`);
  } else if (report.relayOnly) lines.push('  relay check: not needed (this test is relay only)');
  for (const e of report.errors.slice(0, 5)) lines.push(`  ! ${e.source}${e.code !== null ? ` ${e.code}` : ''}: ${e.message}`);
  if (report.errors.length > 5) lines.push(`  ! … and ${report.errors.length - 5} more errors (see --json)`);
  return lines;
}
