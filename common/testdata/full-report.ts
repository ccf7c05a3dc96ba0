// A report with every optional part filled in (diagnosis of both sides with a verdict and the prediction, link
// quality, ICE events, relay check, path asymmetry), typed as the page's own types so a field added to them has to
// be added here too — and then to common/report-schema.ts, or report-schema.test.ts fails.
import type { DiagnosisResult, RoomDiagnosis } from '../nat/diagnosis-result';
import { natVerdict } from '../nat/nat-verdict';
import { compatibilityTable } from '../nat/path-prediction';
import { verdictFacts } from '../nat/diagnosis-result';
import type { LinkQuality } from '../link-quality';
import type { ConnectivityReport } from '../report';
import { sampleReport } from './sample-report';

function diagnosis(): DiagnosisResult {
  const d: DiagnosisResult = {
    version: 1,
    startedAt: 1_764_000_000_500,
    verdictMs: 1800,
    state: 'done',
    servers: 'bundled',
    reachability: {
      udp: 'answered',
      udpMs: 40,
      tcpRelay: 'ok',
      tlsRelay: 'not-configured',
      ipv6: 'gathered-only',
      tcpRelayPort: 3478,
      tlsRelayPort: null,
      reasons: { udp: null, tcpRelay: null, tlsRelay: 'the server offers no TURN over TLS', ipv6: 'no IPv6 server address' },
    },
    hostAddresses: ['10.200.11.1', 'fd00::1', '3f0c1a2b-1111-4222-8333-444455556666.local'],
    serverAddress: '10.200.11.254',
    mappedAddress: { address: '198.51.100.11', port: 40000 },
    publicAddress: 'no',
    hairpin: { result: 'fails', evidence: 'nothing came back in within 3.0 s', ms: 3004 },
    mapping: {
      observations: [
        { role: 'primary', url: 'stun:10.200.11.1:3478', mapped: { address: '198.51.100.11', port: 40000 }, inferred: false },
        { role: 'alt-port', url: 'stun:10.200.11.1:3479', mapped: { address: '198.51.100.11', port: 40000 }, inferred: true },
      ],
      result: { behavior: 'EIM-or-ADM', evidence: 'the same mapping across a port change' },
    },
    filtering: {
      observations: [
        { role: 'primary', answered: true, sent: 1, rttMs: 2 },
        { role: 'alt-port', answered: false, sent: 6, rttMs: null },
      ],
      result: { behavior: 'ADF-or-APDF', evidence: 'a new port was kept out' },
    },
    verdict: null,
    compatibility: [],
    iceErrors: [{ url: 'turns:10.200.11.1:5349?transport=tcp', code: 701, text: 'TLS handshake failed', meaning: 'no answer', fix: 'open port 5349' }],
    skipped: [{ test: 'mapping', reason: 'the server has a single IP address' }],
    timeline: [{ at: 0, step: 'gathering' }, { at: 1800, step: 'verdict' }],
    error: null,
  };
  d.verdict = natVerdict(verdictFacts(d));
  d.compatibility = compatibilityTable(d.verdict.behavior);
  return d;
}

const quality: LinkQuality = {
  version: 1,
  status: 'done',
  reason: null,
  startedAt: 3200,
  finishedAt: 12_000,
  upload: { bps: 50_000_000, bytes: 12_500_000, durationMs: 2000, series: [{ at: 250, bps: 48_000_000 }] },
  download: { bps: 40_000_000, bytes: 10_000_000, durationMs: 2000, series: [{ at: 250, bps: 39_000_000 }] },
  streamOut: { sent: 100, received: 99, lossRatio: 0.01, jitterMs: 0.4, reordered: 0 },
  streamIn: { sent: 100, received: 100, lossRatio: 0, jitterMs: 0.3, reordered: 1 },
  rttIdle: { count: 10, lost: 0, medianMs: 1.1, p90Ms: 1.5 },
  rttLoadedUp: { count: 10, lost: 0, medianMs: 3, p90Ms: 5 },
  rttLoadedDown: { count: 10, lost: 1, medianMs: 4, p90Ms: 6 },
  bufferbloat: { idleMs: 1.1, loadedMs: 4, addedMs: 2.9, grade: 'A' },
  verdict: { level: 'hd-video', label: 'good for HD video calls', limits: ['nothing limits it'], mos: 4.4 },
  notMeasured: [],
};

export function fullReport(): ConnectivityReport {
  const r = sampleReport();
  const remote = diagnosis();
  remote.iceErrors = [];
  remote.timeline = [];
  const room: RoomDiagnosis = {
    local: diagnosis(),
    remote,
    prediction: {
      prediction: { path: 'direct', reason: 'both sides keep their mapping' },
      predictedLabel: 'direct (peer-to-peer)',
      actual: 'direct-lan',
      actualLabel: 'direct (same network)',
      check: 'agree',
      note: null,
    },
  };
  return {
    ...r,
    path: { ...r.path, asymmetry: 'this side sends to the peer\u2019s relay; the peer sends straight from 10.200.11.1' },
    diagnosis: room,
    quality,
    iceEvents: [
      { at: 10, kind: 'gathering', state: 'gathering' },
      { at: 20, kind: 'pair', pairId: 'CP1', local: 'host 10.200.11.1:50000', remote: 'host 10.200.11.1:50001', state: 'in-progress', from: null },
      { at: 95, kind: 'ice', state: 'connected' },
      { at: 96, kind: 'connection', state: 'connected' },
      { at: 97, kind: 'dtls', state: 'connected' },
      { at: 98, kind: 'channel-open', label: 'p2pcheck' },
    ],
    relayCheck: { state: 'works', startedAt: 12_100, connectMs: 300, rttMs: 2, throughputBps: 20_000_000, path: 'relay-udp', reason: null },
  };
}
