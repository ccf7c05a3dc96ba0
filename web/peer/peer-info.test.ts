// Everything the page sends as peer-info (web/room/room-session.ts, web/peer/peer-driver.ts,
// web/diagnosis/room-diagnosis-session.ts) must pass the relay's schema, and read back the same on the other side.
import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage, type PeerInfo } from '../../common/messages';
import { verdictFacts } from '../../common/nat/diagnosis-result';
import { natVerdict } from '../../common/nat/nat-verdict';
import { compatibilityTable } from '../../common/nat/path-prediction';
import { readPeerDiagnosis } from '../diagnosis/peer-diagnosis';
import { emptyDiagnosis } from '../diagnosis/run-diagnosis';
import { readPeerSelectedPair } from '../stats/stats-model';
import { selectedPairInfo } from './peer-info';

/** What the relay does with a peer-info: parse it as the client's message, send on the parsed info. */
function relay(info: unknown): PeerInfo {
  const parsed = parseClientMessage(JSON.stringify({ type: 'peer-info', info }));
  if (!parsed.ok) throw new Error(`the relay refused it: ${parsed.code}: ${parsed.error}`);
  if (parsed.message.type !== 'peer-info') throw new Error('not a peer-info');
  const delivered = parseServerMessage(JSON.stringify({ type: 'peer-info', from: 'a', info: parsed.message.info }));
  if (!delivered.ok || delivered.message.type !== 'peer-info') throw new Error('the page would refuse what the relay sends');
  return delivered.message.info;
}

function finishedDiagnosis() {
  const d = emptyDiagnosis('bundled', 1_700_000_000_000);
  d.state = 'done';
  d.reachability = { ...d.reachability, udp: 'answered', udpMs: 35, tcpRelay: 'ok', tlsRelay: 'not-configured', tcpRelayPort: 3478 };
  d.hostAddresses = ['192.168.1.20', '2001:db8::20', '3f1c2a9e-1f2b-4c5d-9e8f-0a1b2c3d4e5f.local'];
  d.mappedAddress = { address: '198.51.100.11', port: 40000 };
  d.publicAddress = 'no';
  d.mapping = { observations: [{ role: 'primary', url: 'stun:p2p.example.org:3478', mapped: { address: '198.51.100.11', port: 40000 }, inferred: false }], result: { behavior: 'EIM', evidence: 'the same mapping from two ports' } };
  d.filtering = { observations: [{ role: 'alt-port', answered: true, sent: 3, rttMs: 20 }], result: { behavior: 'EIF', evidence: 'answers from another port came in' } };
  d.verdict = natVerdict(verdictFacts(d));
  d.compatibility = compatibilityTable(d.verdict.behavior);
  d.iceErrors = [{ url: 'turns:p2p.example.org:5349', code: 701, text: 'x', meaning: 'm', fix: 'f' }];
  d.timeline = [{ at: 10, step: 'udp' }];
  return d;
}

describe('peer-info the page sends passes the relay', () => {
  it('{ relayOnly }', () => {
    expect(relay({ relayOnly: true })).toEqual({ relayOnly: true });
  });

  it('{ selectedPair } with and without a relay protocol or an address', () => {
    const relayEnd = selectedPairInfo({ type: 'relay', address: '203.0.113.5', port: 50000, relayProtocol: 'tls', protocol: 'udp' }, true);
    expect(readPeerSelectedPair(relay(relayEnd))).toEqual({ type: 'relay', address: '203.0.113.5', port: 50000, relayProtocol: 'tls' });
    expect(relay(relayEnd).selectedPair?.relayOnly).toBe(true);
    const hidden = selectedPairInfo({ type: 'host', address: null, port: null, relayProtocol: null, protocol: 'tcp' }, false);
    expect(readPeerSelectedPair(relay(hidden))).toEqual({ type: 'host', address: null, port: null, relayProtocol: null });
  });

  it('{ diagnosis }: the facts arrive, the sender’s own words (verdict, advice, ICE errors) do not', () => {
    const d = finishedDiagnosis();
    const got = relay({ diagnosis: d });
    expect(got.diagnosis).not.toHaveProperty('verdict');
    expect(got.diagnosis).not.toHaveProperty('iceErrors');
    const read = readPeerDiagnosis(got);
    expect(read?.verdict).toEqual(d.verdict);
    expect(read?.reachability).toEqual(d.reachability);
    expect(read?.hostAddresses).toEqual(d.hostAddresses);
  });
});
