// The readable result of `p2pcheck nat`: the verdict in plain words, what works, what to do — the same words as
// the page's panel (web/diagnosis/diagnosis-panel.tsx), as text. Pure.
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { PREDICTED_PATH_LABELS } from '../../common/nat/path-prediction';
import { formatTransportAddress } from '../../common/net/transport-address';
import { REACH_LABELS, ROLE_LABELS, portSuffix } from '../../web/diagnosis/diagnosis-labels';

/** One line: "Port-restricted cone NAT (UDP 37 ms, relay TCP works, TLS not offered by the server)". */
export function natOneLine(r: DiagnosisResult): string {
  const v = r.verdict;
  if (!v) return r.state === 'error' ? `The check failed: ${r.error ?? 'unknown error'}` : 'No verdict';
  const udp = r.reachability.udp === 'answered' && r.reachability.udpMs !== null ? `UDP ${r.reachability.udpMs} ms` : `UDP ${REACH_LABELS[r.reachability.udp]}`;
  return `${v.label}${v.certain || v.kind === 'undetermined' ? '' : ' (not certain)'} — ${udp}, TURN over TCP ${REACH_LABELS[r.reachability.tcpRelay]}, TURN over TLS ${REACH_LABELS[r.reachability.tlsRelay]}`;
}

const row = (label: string, value: string) => `  ${label.padEnd(26)} ${value}`;
const because = (reason: string | null | undefined) => (reason ? ` — ${reason}` : '');

export function natSummary(r: DiagnosisResult, server: string): string {
  const lines: string[] = [];
  const v = r.verdict;
  lines.push(`p2pcheck nat — ${server}${r.serverAddress ? ` (STUN/TURN at ${r.serverAddress})` : ''}`, '');
  if (!v) {
    lines.push(r.state === 'error' ? `The check failed: ${r.error ?? 'unknown error'}` : 'The check did not reach a verdict.');
    return `${lines.join('\n')}\n`;
  }
  const known = r.verdictMs !== null ? ` — known after ${(r.verdictMs / 1000).toFixed(1)} s` : '';
  lines.push(`NAT: ${v.label}${v.certain || v.kind === 'undetermined' ? '' : ' (not certain)'}${known}`, wrap(v.explanation, '  '), '');
  lines.push(row('Mapping', v.mapping.label), row('Filtering', v.filtering.label), row('Hairpinning', v.hairpin.label), row('IPv6', `${v.ipv6.label}`), '');

  lines.push('Reachability');
  const rr = r.reachability;
  lines.push(row('UDP to the server', `${REACH_LABELS[rr.udp]}${rr.udpMs !== null ? ` (${rr.udpMs} ms)` : ''}${because(rr.reasons.udp)}`));
  lines.push(row(`TURN over TCP${portSuffix(rr.tcpRelayPort)}`, `${REACH_LABELS[rr.tcpRelay]}${because(rr.reasons.tcpRelay)}`));
  lines.push(row(`TURN over TLS${portSuffix(rr.tlsRelayPort)}`, `${REACH_LABELS[rr.tlsRelay]}${because(rr.reasons.tlsRelay)}`));
  lines.push(row('IPv6', `${REACH_LABELS[rr.ipv6]}${because(rr.reasons.ipv6)}`));
  lines.push(row('Address the server saw', r.mappedAddress ? formatTransportAddress(r.mappedAddress) : 'unknown'), '');

  if (r.compatibility.length > 0) {
    lines.push('Who can connect directly with this network');
    for (const c of r.compatibility) lines.push(row(c.label, PREDICTED_PATH_LABELS[c.prediction.path]));
    lines.push('');
  }
  if (v.caveats.length > 0) {
    lines.push('Not certain because');
    for (const c of v.caveats) lines.push(wrap(c, '  - ', '    '));
    lines.push('');
  }
  lines.push('What you can do');
  for (const a of v.advice) lines.push(wrap(a, '  - ', '    '));

  if (r.mapping.observations.length > 0 || r.filtering.observations.length > 0) {
    lines.push('', 'How this was measured');
    for (const o of r.mapping.observations) {
      const seen = o.mapped ? `${formatTransportAddress(o.mapped)}${o.inferred ? ' (same as another answer)' : ''}` : 'no answer';
      lines.push(row(`seen at ${o.role}`, `${seen}  (${ROLE_LABELS[o.role] ?? o.role}, ${o.url})`));
    }
    for (const o of r.filtering.observations) {
      lines.push(row(`sent from ${o.role}`, `${o.answered ? `got through (${o.rttMs} ms)` : `did not get through (${o.sent} tries)`}  (${ROLE_LABELS[o.role] ?? o.role})`));
    }
  }
  if (r.iceErrors.length > 0) {
    lines.push('', 'Errors from the STUN/TURN servers');
    for (const e of r.iceErrors) lines.push(wrap(`${e.code} from ${e.url}: ${e.meaning} Fix: ${e.fix}`, '  - ', '    '));
  }
  if (r.skipped.length > 0) {
    lines.push('');
    for (const s of r.skipped) lines.push(wrap(`Skipped ${s.test}: ${s.reason}`, '  '));
  }
  return `${lines.join('\n')}\n`;
}

/** Wraps at 100 columns (terminals and CI logs), the first line after `first`, the others after `rest`. */
export function wrap(text: string, first: string, rest = first, width = 100): string {
  const out: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + word.length + 1 > width && line.trim().length > first.trim().length) {
      out.push(line.trimEnd());
      line = rest;
    }
    line += (line === first || line === rest ? '' : ' ') + word;
  }
  out.push(line.trimEnd());
  return out.join('\n');
}
