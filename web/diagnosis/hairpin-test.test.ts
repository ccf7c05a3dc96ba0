import { describe, expect, it } from 'vitest';
import { reflexiveOf, withoutCandidates } from './hairpin-test';
import { candidateInfo } from './peer-tests';

describe('hairpin test helpers', () => {
  it('withoutCandidates strips every host (and other) candidate from the SDP, keeping credentials', () => {
    const sdp = [
      'v=0',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
      'a=ice-ufrag:abcd',
      'a=ice-pwd:0123456789012345678901',
      'a=candidate:0 1 UDP 2122252543 10.77.0.2 35343 typ host',
      'a=candidate:1 1 UDP 1686052863 203.0.113.7 40000 typ srflx raddr 10.77.0.2 rport 35343',
      'a=end-of-candidates',
      '',
    ].join('\r\n');
    const out = withoutCandidates(sdp);
    expect(out).not.toMatch(/candidate/);
    expect(out).toMatch(/a=ice-ufrag:abcd\r\na=ice-pwd:/);
    expect(out.endsWith('\r\n')).toBe(true);
  });
  it('reflexiveOf picks the UDP server-reflexive candidate of the server\u2019s family', () => {
    const c = (line: string) => candidateInfo({ candidate: line } as RTCIceCandidate, null)!;
    const list = [
      c('candidate:0 1 UDP 2122252543 10.77.0.2 35343 typ host'),
      c('candidate:2 1 UDP 1686052863 2001:470::5 40000 typ srflx raddr :: rport 0'),
      c('candidate:1 1 UDP 1686052863 203.0.113.7 40000 typ srflx raddr 10.77.0.2 rport 35343'),
    ];
    expect(reflexiveOf(list, false)?.address).toBe('203.0.113.7');
    expect(reflexiveOf(list, true)?.address).toBe('2001:470::5');
    expect(reflexiveOf(list.slice(0, 1), false)).toBeNull();
  });
});
