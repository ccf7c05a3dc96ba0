import { describe, expect, it } from 'vitest';
import { classifyMapping } from '../../common/nat/nat-behavior';
import { explainIceError } from './ice-error-advice';
import { inferMapping, inferMappingObservations, parseStunUrl, type GatherLog, type StunEndpoint } from './mapping-inference';
import { candidateInfo, isUsableHost } from './peer-tests';
import { RECORDED_ENDPOINTS, RECORDED_GATHERINGS } from './testdata/recorded-candidates';

const EP: StunEndpoint[] = [
  { role: 'primary', url: 'stun:198.51.100.1:3478', host: '198.51.100.1', port: 3478 },
  { role: 'alt-port', url: 'stun:198.51.100.1:3479', host: '198.51.100.1', port: 3479 },
  { role: 'alt-ip', url: 'stun:203.0.113.1:3478', host: '203.0.113.1', port: 3478 },
  { role: 'alt-ip-port', url: 'stun:203.0.113.1:3479', host: '203.0.113.1', port: 3479 },
];
const HOST = { address: '10.3.0.2', port: 51000 };
const log = (over: Partial<GatherLog>): GatherLog => ({ srflx: [], host: [HOST], errors: [], complete: true, ...over });

describe('parseStunUrl', () => {
  it('reads host and port, with defaults and IPv6 brackets', () => {
    expect(parseStunUrl('stun:198.51.100.1:3479')).toEqual({ address: '198.51.100.1', port: 3479 });
    expect(parseStunUrl('stun:[2001:DB8::1]:3478')).toEqual({ address: '2001:db8::1', port: 3478 });
    expect(parseStunUrl('turn:example.org?transport=tcp')).toEqual({ address: 'example.org', port: 3478 });
    expect(parseStunUrl('turns:example.org')).toEqual({ address: 'example.org', port: 5349 });
    expect(parseStunUrl('http://x')).toBeNull();
  });
});

describe('inferMappingObservations (Chromium: one srflx per distinct address)', () => {
  it('symmetric NAT: one candidate per endpoint, nothing inferred → APDM', () => {
    const srflx = EP.map((e, i) => ({ url: e.url, address: '198.51.100.17', port: 40000 + i }));
    const obs = inferMappingObservations(EP, log({ srflx }));
    expect(obs.every((o) => !o.inferred && o.mapped)).toBe(true);
    expect(classifyMapping(obs).behavior).toBe('APDM');
  });

  it('EIM NAT: a single candidate; the other endpoints repeated it (gathering completed without errors) → EIM', () => {
    const obs = inferMappingObservations(EP, log({ srflx: [{ url: 'stun:198.51.100.1:3479', address: '198.51.100.17', port: 40000 }] }));
    expect(obs.map((o) => [o.role, o.inferred])).toEqual([['primary', true], ['alt-port', false], ['alt-ip', true], ['alt-ip-port', true]]);
    expect(classifyMapping(obs).behavior).toBe('EIM');
  });

  it('no NAT: no srflx at all (it equalled the socket address) → the host address everywhere', () => {
    const obs = inferMappingObservations(EP, log({}));
    expect(obs.every((o) => o.inferred && o.mapped?.port === HOST.port)).toBe(true);
  });

  it('an endpoint that errored (701) did not answer; gathering still running means no answer yet', () => {
    const withError = inferMappingObservations(EP, log({ srflx: [{ url: EP[0]!.url, address: '198.51.100.17', port: 40000 }], errors: [{ url: 'stun:203.0.113.1:3478', code: 701 }] }));
    expect(withError.find((o) => o.role === 'alt-ip')?.mapped).toBeNull();
    const running = inferMappingObservations(EP, log({ complete: false, srflx: [{ url: EP[0]!.url, address: '198.51.100.17', port: 40000 }] }));
    expect(running.filter((o) => o.mapped === null).map((o) => o.role)).toEqual(['alt-port', 'alt-ip', 'alt-ip-port']);
    expect(classifyMapping(running).behavior).toBe('not-determined');
  });

  it('a STUN server by name: the other family\'s socket erred (701) for every endpoint, yet the answers prove EIM', () => {
    const NAMED: StunEndpoint[] = EP.map((e) => ({ ...e, url: e.url.replace(/\d+\.\d+\.\d+\.\d+/, e.host.startsWith('198') ? 'turn.example.org' : 'alt.example.org'), host: e.host.startsWith('198') ? 'turn.example.org' : 'alt.example.org' }));
    const srflx = [{ url: NAMED[1]!.url, address: '198.51.100.17', port: 40000 }];
    // The IPv6 socket's lookups failed for every endpoint (its address shown: mDNS off) …
    const shown = NAMED.map((e) => ({ url: e.url, code: 701, address: '2001:db8::5' }));
    const byFamily = inferMappingObservations(NAMED, log({ srflx, errors: shown }));
    expect(byFamily.every((o) => o.mapped !== null)).toBe(true);
    expect(classifyMapping(byFamily).behavior).toBe('EIM');
    // … or hidden (mDNS on): the endpoint that answered also has an error, so errors say nothing about answers.
    const hidden = NAMED.map((e) => ({ url: e.url, code: 701, address: null }));
    expect(classifyMapping(inferMappingObservations(NAMED, log({ srflx, errors: hidden }))).behavior).toBe('EIM');
    // An IPv4 socket's error still means that endpoint did not answer.
    const v4 = inferMappingObservations(NAMED, log({ srflx, errors: [{ url: NAMED[2]!.url, code: 701, address: HOST.address }] }));
    expect(v4.find((o) => o.role === 'alt-ip')?.mapped).toBeNull();
  });

  it('two distinct addresses and a silent endpoint: which one it repeated is unknown, so it is left out', () => {
    const obs = inferMappingObservations(EP, log({
      srflx: [
        { url: EP[0]!.url, address: '198.51.100.17', port: 40000 },
        { url: EP[2]!.url, address: '198.51.100.17', port: 40007 },
      ],
    }));
    expect(obs.map((o) => o.role)).toEqual(['primary', 'alt-ip']);
    expect(classifyMapping(obs).behavior).toBe('ADM-or-APDM');
  });

  it('candidates without a url (older browsers) cannot be attributed', () => {
    const obs = inferMappingObservations(EP, log({ srflx: [{ url: null, address: '198.51.100.17', port: 40000 }] }));
    expect(obs.every((o) => o.inferred)).toBe(true);
  });
});

describe('explainIceError', () => {
  it('says what to fix for the codes people meet', () => {
    expect(explainIceError('turn:x:3478', 401, 'Unauthorized').fix).toMatch(/HMAC-SHA1/);
    expect(explainIceError('turn:x:3478', 438, 'Stale Nonce').fix).toMatch(/clock/);
    expect(explainIceError('stun:x:3478', 701, 'STUN binding request timed out.').fix).toMatch(/firewall/);
    expect(explainIceError('stun:x:3478', 702, '').meaning).toMatch(/No answer/);
    expect(explainIceError('turn:x:3478', 499, 'odd').meaning).toMatch(/499 \(odd\)/);
  });
});

describe('inferMapping on candidates recorded from real browsers (Firefox sets no url)', () => {
  const logOf = (name: string): GatherLog => {
    const rec = RECORDED_GATHERINGS[name]!;
    const infos = rec.candidates.flatMap((c) => ('candidate' in c ? [candidateInfo({ candidate: c.candidate } as RTCIceCandidate, c.url)!] : []));
    return {
      srflx: infos.filter((c) => c.type === 'srflx').map((c) => ({ url: c.url, address: c.address, port: c.port, relatedPort: c.relatedPort })),
      host: infos.filter(isUsableHost).map((c) => ({ address: c.address, port: c.port })),
      errors: [],
      complete: rec.state === 'complete',
    };
  };
  const expected: Record<string, string> = { apdm: 'APDM', eim: 'EIM', host: 'EIM' };
  for (const browser of ['firefox', 'chromium'])
    for (const mode of ['apdm', 'eim', 'host']) {
      it(`${browser}, ${mode} NAT → ${expected[mode]}`, () => {
        const log = logOf(`${browser}-${mode}`);
        if (browser === 'firefox') expect(log.srflx.every((c) => c.url === null)).toBe(true);
        expect(inferMapping(RECORDED_ENDPOINTS, log).result.behavior).toBe(expected[mode]);
      });
    }
  it('Firefox behind a symmetric NAT: the four mapped ports from one socket are the evidence', () => {
    const r = inferMapping(RECORDED_ENDPOINTS, logOf('firefox-apdm'));
    expect(r.observations).toEqual([]);
    expect(r.result.evidence).toMatch(/^4 different mapped addresses from one local socket towards 4 server endpoints on 2 addresses/);
  });
  it('no url and two local sockets whose port the browser hides: not determined rather than a wrong symmetric', () => {
    const log = logOf('firefox-apdm');
    const hidden = { ...log, srflx: log.srflx.map((c) => ({ ...c, relatedPort: null })), host: [...log.host, { address: '10.77.1.2', port: 5000 }] };
    expect(inferMapping(RECORDED_ENDPOINTS, hidden).result.behavior).toBe('not-determined');
  });
});
