// Hairpinning ("NAT loopback", RFC 4787 §6): does the router send packets addressed to its own public address
// back in to the device behind it? Two PeerConnections in this page, each with p2pcheck's STUN server, learn
// their server-reflexive (public) addresses; each is then given only the other's — host candidates are
// stripped from the exchange — so the only way their ICE checks can meet is out to the router's public
// address and back in. ICE connected → two devices behind this router can reach each other through it.
import type { HairpinResult } from '../../common/nat/diagnosis-result';
import { candidateInfo, defaultPcFactory, isIpv6, startGathering, type CandidateInfo, type PcFactory } from './peer-tests';

/** The SDP without candidate lines (the offer/answer then carries only credentials and fingerprints). */
export function withoutCandidates(sdp: string): string {
  return sdp
    .split(/\r?\n/)
    .filter((l) => l !== '' && !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
    .map((l) => `${l}\r\n`)
    .join('');
}

/** The server-reflexive UDP candidate of the server's address family, as a line to hand to the other side. */
export function reflexiveOf(candidates: readonly CandidateInfo[], family6: boolean): CandidateInfo | null {
  return candidates.find((c) => c.type === 'srflx' && c.protocol === 'udp' && isIpv6(c.address) === family6) ?? null;
}

export async function runHairpinTest(stunUrl: string, family6: boolean, timeoutMs: number, factory: PcFactory = defaultPcFactory): Promise<HairpinResult> {
  const start = performance.now();
  const config: RTCConfiguration = { iceServers: [{ urls: stunUrl }] };
  // A offers (with a data channel, from startGathering); B answers. Both gather against the STUN server.
  const a = await startGathering(config, factory);
  const b = factory(config);
  const bCandidates: { info: CandidateInfo; init: RTCIceCandidateInit }[] = [];
  let bComplete = false;
  b.onicecandidate = (e) => {
    if (!e.candidate) bComplete = true;
    else if (e.candidate.candidate) {
      const info = candidateInfo(e.candidate, null);
      if (info) bCandidates.push({ info, init: e.candidate.toJSON() });
    }
  };
  const aInits: { info: CandidateInfo; init: RTCIceCandidateInit }[] = [];
  const prevA = a.pc.onicecandidate;
  a.pc.onicecandidate = (e) => {
    if (e.candidate?.candidate) {
      const info = candidateInfo(e.candidate, null);
      if (info) aInits.push({ info, init: e.candidate.toJSON() });
    }
    prevA?.call(a.pc, e);
  };
  const ms = () => Math.round(performance.now() - start);
  try {
    await b.setRemoteDescription({ type: 'offer', sdp: withoutCandidates(a.pc.localDescription!.sdp) });
    await b.setLocalDescription(await b.createAnswer());
    await a.pc.setRemoteDescription({ type: 'answer', sdp: withoutCandidates(b.localDescription!.sdp) });
    // Both public addresses, or the end of gathering, within half the time.
    const half = Date.now() + timeoutMs / 2;
    while (Date.now() < half && !(reflexiveOf(aInits.map((x) => x.info), family6) && reflexiveOf(bCandidates.map((x) => x.info), family6)) && !(a.complete && bComplete)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const aSrflx = aInits.find((x) => x.info === reflexiveOf(aInits.map((y) => y.info), family6));
    const bSrflx = bCandidates.find((x) => x.info === reflexiveOf(bCandidates.map((y) => y.info), family6));
    if (!aSrflx || !bSrflx) {
      return {
        result: 'not-applicable',
        evidence: 'no public address different from this device\u2019s own was reported (no NAT on the way), so there is nothing to loop back',
        ms: ms(),
      };
    }
    const ownAddress = (x: CandidateInfo, hosts: readonly CandidateInfo[]) => hosts.some((h) => h.type === 'host' && h.address === x.address && h.port === x.port);
    if (ownAddress(aSrflx.info, a.candidates) || ownAddress(bSrflx.info, bCandidates.map((y) => y.info))) {
      // Chromium sometimes reports the socket's own address as server-reflexive too: that is no NAT.
      return { result: 'not-applicable', evidence: 'the server saw this device\u2019s own address (no NAT on the way), so there is nothing to loop back', ms: ms() };
    }
    if (aSrflx.info.address !== bSrflx.info.address) {
      return { result: 'not-tested', evidence: 'the two test connections got different public addresses (several routes out)', ms: ms() };
    }
    const connected = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), Math.max(500, timeoutMs - (performance.now() - start)));
      const check = () => {
        if (['connected', 'completed'].includes(a.pc.iceConnectionState) || ['connected', 'completed'].includes(b.iceConnectionState)) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      a.pc.oniceconnectionstatechange = check;
      b.oniceconnectionstatechange = check;
    });
    await b.addIceCandidate(aSrflx.init);
    await a.pc.addIceCandidate(bSrflx.init);
    const ok = await connected;
    const where = `${aSrflx.info.address}:${aSrflx.info.port} and :${bSrflx.info.port}`;
    return ok
      ? { result: 'works', evidence: `two connections in this page reached each other only through the router\u2019s public address (${where})`, ms: ms() }
      : { result: 'fails', evidence: `two connections in this page sent to each other\u2019s public address (${where}) and nothing came back in within ${(timeoutMs / 1000).toFixed(1)} s`, ms: ms() };
  } catch (err) {
    return { result: 'not-tested', evidence: `the test could not run: ${err instanceof Error ? err.message : String(err)}`, ms: ms() };
  } finally {
    a.pc.oniceconnectionstatechange = null;
    b.onicecandidate = null;
    b.oniceconnectionstatechange = null;
    a.close();
    b.close();
  }
}
