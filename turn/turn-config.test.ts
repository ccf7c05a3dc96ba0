import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { turnConfigFromEnv } from './turn-config';

const iface = (address: string, cidr: string, internal = false): NetworkInterfaceInfo =>
  ({ address, cidr, netmask: '', mac: '00:00:00:00:00:00', internal, family: address.includes(':') ? 'IPv6' : 'IPv4', ...(address.includes(':') ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo;
const HOST = {
  lo: [iface('127.0.0.1', '127.0.0.1/8', true), iface('::1', '::1/128', true)],
  eth0: [iface('198.51.100.10', '198.51.100.10/24'), iface('198.51.100.11', '198.51.100.11/24'), iface('2001:db8::10', '2001:db8::10/64')],
  eth1: [iface('203.0.113.5', '203.0.113.5/24'), iface('203.0.113.6', '203.0.113.6/24'), iface('203.0.113.7', '203.0.113.7/24')],
};

describe('turnConfigFromEnv', () => {
  it('has the documented defaults', () => {
    const c = turnConfigFromEnv({ TURN_SECRET: 's', TURN_LISTEN_V6: 'off' });
    expect(c).toMatchObject({
      listen: '0.0.0.0', listenV6: null, port: 3478, altPort: 3479, altIp: null, relayMinPort: 49152, relayMaxPort: 65535,
      realm: 'p2pcheck', tlsPort: 5349, nonceTtlSeconds: 600, metricsPort: 9641, tcp: true, allowPeers: [],
      userQuota: 20, totalQuota: 20000, maxAllocationsPerIp: 32,
      workers: availableParallelism() >= 4 ? Math.min(availableParallelism(), 64) : 1,
    });
  });

  it('reads every override', () => {
    const c = turnConfigFromEnv({
      TURN_SECRET: 's', TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: 'off', TURN_ALT_IP: '127.0.0.2',
      TURN_ALLOW_PEERS: '10.0.0.0/8, fd00::/8', TURN_RELAY_MIN_PORT: '40000', TURN_RELAY_MAX_PORT: '40100', TURN_TCP: 'off',
      TURN_WORKERS: '3', TURN_MAX_ALLOCATIONS_PER_IP: '0', TURN_REALM: 'example.org',
    });
    expect(c).toMatchObject({ listen: '127.0.0.1', listenV6: null, port: 0, altPort: null, altIp: '127.0.0.2', allowPeers: ['10.0.0.0/8', 'fd00::/8'], tcp: false, workers: 3, maxAllocationsPerIp: 0, realm: 'example.org' });
  });

  it('writes IP literals in canonical form', () => {
    expect(turnConfigFromEnv({ TURN_SECRET: 's', TURN_LISTEN: '2001:DB8:0:0::1' }).listen).toBe('2001:db8::1');
  });

  describe('TURN_ALT_IP with the wildcard TURN_LISTEN (coturn: listening-ip)', () => {
    it('listens on the other address of the alternate address\'s subnet instead of the wildcard', () => {
      expect(turnConfigFromEnv({ TURN_SECRET: 's', TURN_ALT_IP: '198.51.100.11' }, { interfaces: HOST }).listen).toBe('198.51.100.10');
      // Loopback: 127.0.0.2 is not configured on lo, but lo's 127.0.0.1/8 holds it.
      expect(turnConfigFromEnv({ TURN_SECRET: 's', TURN_ALT_IP: '127.0.0.2' }, { interfaces: HOST }).listen).toBe('127.0.0.1');
      expect(turnConfigFromEnv({ TURN_SECRET: 's', TURN_LISTEN: '::', TURN_ALT_IP: '2001:db8::11' }, { interfaces: HOST }).listen).toBe('2001:db8::10');
    });

    it('refuses with the fix when the primary address cannot be known', () => {
      expect(() => turnConfigFromEnv({ TURN_SECRET: 's', TURN_ALT_IP: '203.0.113.7' }, { interfaces: HOST }))
        .toThrow('TURN_ALT_IP=203.0.113.7 needs TURN_LISTEN set to this host\'s primary IPv4 address: one of 203.0.113.5, 203.0.113.6 (the wildcard 0.0.0.0 cannot share its ports with 203.0.113.7)');
      expect(() => turnConfigFromEnv({ TURN_SECRET: 's', TURN_ALT_IP: '192.0.2.1' }, { interfaces: HOST })).toThrow(/^TURN_ALT_IP=192.0.2.1 needs TURN_LISTEN set to this host's primary IPv4 address \(the wildcard/);
    });

    it('keeps an explicit TURN_LISTEN', () => {
      expect(turnConfigFromEnv({ TURN_SECRET: 's', TURN_LISTEN: '203.0.113.5', TURN_ALT_IP: '203.0.113.7' }, { interfaces: HOST }).listen).toBe('203.0.113.5');
    });
  });

  it('checks that the TLS files are readable and a matching PEM pair', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turn-config-test-'));
    writeFileSync(join(dir, 'bad.pem'), 'not a certificate');
    expect(() => turnConfigFromEnv({ TURN_SECRET: 's', TURN_TLS_CERT: join(dir, 'missing.pem'), TURN_TLS_KEY: join(dir, 'bad.pem') }))
      .toThrow(/^TURN_TLS_CERT: cannot read .*missing\.pem \(ENOENT\): give a readable PEM file$/);
    expect(() => turnConfigFromEnv({ TURN_SECRET: 's', TURN_TLS_CERT: join(dir, 'bad.pem'), TURN_TLS_KEY: join(dir, 'bad.pem') }))
      .toThrow(/^TURN_TLS_CERT \/ TURN_TLS_KEY: not a usable PEM certificate and matching key \(.*\): check both files$/);
  });

  it.each([
    [{ TURN_PORT: '70000' }, /^TURN_PORT must be an integer from 0 to 65535, got "70000"$/],
    [{ TURN_PORT: '-1' }, /^TURN_PORT must be an integer from 0 to 65535/],
    [{ TURN_LISTEN: 'localhost' }, /^TURN_LISTEN must be an IP address literal such as 203\.0\.113\.7 \(no host name, brackets or zone\), got "localhost"$/],
    [{ TURN_LISTEN: '[::1]' }, /^TURN_LISTEN must be an IP address literal/],
    [{ TURN_LISTEN: 'fe80::1%eth0' }, /^TURN_LISTEN must be an IP address literal/],
    [{ TURN_LISTEN_V6: '127.0.0.1' }, /^TURN_LISTEN_V6 must be an IPv6 address \(IPv6 address or off\)/],
    [{ TURN_ALT_IP: '::2', TURN_LISTEN: '127.0.0.1' }, /^TURN_ALT_IP must be an IPv4 address \(IPv4 address like TURN_LISTEN\)/],
    [{ TURN_ALT_IP: '127.0.0.1', TURN_LISTEN: '127.0.0.1' }, /^TURN_ALT_IP must be a second address of this host, not TURN_LISTEN itself/],
    [{ TURN_ALT_IP: '0.0.0.0' }, /^TURN_ALT_IP must be a specific address of this host, not the wildcard/],
    [{ TURN_EXTERNAL_IP: 'turn.example.org' }, /^TURN_EXTERNAL_IP must be an IP address literal/],
    [{ TURN_EXTERNAL_IP: '::' }, /^TURN_EXTERNAL_IP must be a specific address/],
    [{ TURN_RELAY_IP: '::1', TURN_LISTEN: '127.0.0.1' }, /^TURN_RELAY_IP must be an IPv4 address/],
    [{ TURN_ALLOW_PEERS: '10.0.0.0/40' }, /^TURN_ALLOW_PEERS: "10.0.0.0\/40" is not a CIDR/],
    [{ TURN_RELAY_MIN_PORT: '5000', TURN_RELAY_MAX_PORT: '4000' }, /^TURN_RELAY_MIN_PORT \(5000\) must be below TURN_RELAY_MAX_PORT \(4000\)/],
    [{ TURN_RELAY_MIN_PORT: '5000', TURN_RELAY_MAX_PORT: '5000' }, /^TURN_RELAY_MIN_PORT \(5000\) must be below TURN_RELAY_MAX_PORT/],
    [{ TURN_ALT_PORT: '3478' }, /^TURN_ALT_PORT must differ from TURN_PORT \(both 3478\)/],
    [{ TURN_METRICS_PORT: '3478' }, /^TURN_METRICS_PORT \(3478\) is also a TURN TCP\/TLS port/],
    [{ TURN_TLS_CERT: '/x.pem' }, /must be set together/],
    [{ TURN_REALM: '  ' }, /^TURN_REALM must not be empty/],
    [{ TURN_REALM: 'a"b' }, /^TURN_REALM must be at most 127 printable characters/],
    [{ TURN_REALM: 'x'.repeat(128) }, /^TURN_REALM must be at most 127/],
    [{ TURN_LOG_LEVEL: 'loud' }, /^TURN_LOG_LEVEL must be one of/],
    [{ TURN_TCP: 'maybe' }, /^TURN_TCP must be on or off, got "maybe"$/],
    [{ TURN_FAST_SEND: 'fast' }, /^TURN_FAST_SEND must be on or off/],
    [{ TURN_MAX_ALLOCATIONS_PER_IP: '-5' }, /^TURN_MAX_ALLOCATIONS_PER_IP must be an integer from 0 to 1000000, got "-5"$/],
    [{ TURN_MAX_ALLOCATIONS_PER_IP: 'lots' }, /^TURN_MAX_ALLOCATIONS_PER_IP must be an integer/],
    [{ TURN_WORKERS: '0' }, /TURN_WORKERS must be auto \(one per CPU\) or an integer from 1 to 64, got "0"/],
    [{ TURN_WORKERS: 'many' }, /TURN_WORKERS must be auto/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    let error: Error | null = null;
    try {
      turnConfigFromEnv({ TURN_SECRET: 's', ...env });
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('requires a secret', () => {
    expect(() => turnConfigFromEnv({})).toThrow(/TURN_SECRET is required/);
  });
});
