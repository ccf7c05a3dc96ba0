// ICE_REGIONS at start: good configurations read into regions, bad ones refused with one line naming ICE_REGIONS.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../turn/config-error';
import { iceRegionsFromEnv, probeOrigins } from './region-config';

const SECRET_EU = 'eu-secret-0123456789abcdef';
const eu = { id: 'eu-west', name: 'Frankfurt', urls: ['stun:eu.example.org:3478', 'turn:eu.example.org:3478?transport=udp'], probe: 'https://eu.example.org:9642/', secretEnv: 'TURN_SECRET_EU', alternatePort: 3479 };
const us = { id: 'us-east', name: 'Virginia', urls: ['stun:[2001:db8::7]', 'turns:us.example.org:443?transport=tcp'], secret: 'us-secret-0123456789abcdef' };
const env = (regions: unknown, extra: Record<string, string> = {}) => ({ ICE_REGIONS: typeof regions === 'string' ? regions : JSON.stringify(regions), TURN_SECRET_EU: SECRET_EU, ...extra });

function refusal(e: NodeJS.ProcessEnv, readFile?: (p: string) => string): string {
  try {
    iceRegionsFromEnv(e, readFile);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe('ICE_REGIONS');
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('iceRegionsFromEnv', () => {
  it('unset or empty: no regions (the bundled server is the one region)', () => {
    expect(iceRegionsFromEnv({})).toEqual([]);
    expect(iceRegionsFromEnv({ ICE_REGIONS: '  ' })).toEqual([]);
  });

  it('reads regions in order with their primary STUN endpoint, probe base and secret (inline or from secretEnv)', () => {
    const regions = iceRegionsFromEnv(env([eu, us]));
    expect(regions.map((r) => r.id)).toEqual(['eu-west', 'us-east']);
    expect(regions[0]).toMatchObject({ name: 'Frankfurt', primary: { host: 'eu.example.org', port: 3478 }, alternatePort: 3479, alternateHost: null, probe: 'https://eu.example.org:9642', secret: SECRET_EU });
    expect(regions[1]).toMatchObject({ primary: { host: '2001:db8::7', port: 3478 }, probe: null, secret: us.secret });
    expect(probeOrigins(regions)).toEqual(['https://eu.example.org:9642']);
  });

  it('reads a file when the value is a path', () => {
    const regions = iceRegionsFromEnv({ ICE_REGIONS: '/etc/p2pcheck/regions.json', TURN_SECRET_EU: SECRET_EU }, (p) => {
      expect(p).toBe('/etc/p2pcheck/regions.json');
      return JSON.stringify([eu]);
    });
    expect(regions).toHaveLength(1);
    expect(refusal({ ICE_REGIONS: '/nope.json' }, () => {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    })).toBe('ICE_REGIONS: cannot read the file /nope.json (ENOENT): give a JSON array of regions or the path of a readable file holding one');
  });

  it.each([
    ['[{"id":', /not valid JSON/],
    ['[]', /must be a JSON array of 1 to 32 regions/],
    [[{ ...eu, id: 'EU West' }], /region 1 \("EU West"\): id: id must be 1 to 32 lower-case/],
    [[eu, { ...us, id: 'eu-west' }], /region 2 \("eu-west"\): the id "eu-west" is used twice/],
    [[{ ...eu, urls: ['turn:eu.example.org:3478'] }], /urls need a stun: URL/],
    [[{ ...eu, urls: ['stun:eu.example.org:3478', 'http://eu.example.org'] }], /"http:\/\/eu.example.org" is not a stun:, turn: or turns: URL/],
    [[{ ...eu, secretEnv: 'TURN_SECRET_NOPE' }], /TURN_SECRET_NOPE \(its secretEnv\) is not set/],
    [[{ ...eu, secretEnv: undefined }], /needs secretEnv \(or secret\)/],
    [[{ ...eu, secret: 'x'.repeat(20) }], /give secret or secretEnv, not both/],
    [[{ ...us, secret: 'short' }], /shorter than 16 characters/],
    [[{ ...eu, probe: 'ftp://eu.example.org' }], /probe must be the http\(s\) base URL/],
    [[{ ...eu, probe: 'https://eu.example.org/?x=1' }], /probe must be the http\(s\) base URL/],
    [[{ ...eu, alternateHost: 'alt.example.org' }], /alternateHost must be an IP literal/],
    [[{ ...eu, colour: 'blue' }], /region 1 \("eu-west"\): .*colour/],
  ])('refuses %j', (value, message) => {
    expect(refusal(env(value))).toMatch(message);
  });
});
