import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { turnConfigFromEnv } from './turn-config';

describe('turnConfigFromEnv', () => {
  it('has the documented defaults', () => {
    const c = turnConfigFromEnv({ TURN_SECRET: 's', TURN_LISTEN_V6: 'off' });
    expect(c).toMatchObject({
      listen: '0.0.0.0', listenV6: null, port: 3478, altPort: 3479, altIp: null, relayMinPort: 49152, relayMaxPort: 65535,
      realm: 'p2pcheck', tlsPort: 5349, nonceTtlSeconds: 600, metricsPort: 9641, tcp: true, allowPeers: [],
      workers: availableParallelism() >= 4 ? Math.min(availableParallelism(), 64) : 1,
    });
  });

  it('reads every override', () => {
    const c = turnConfigFromEnv({
      TURN_SECRET: 's', TURN_LISTEN: '127.0.0.1', TURN_PORT: '0', TURN_ALT_PORT: 'off', TURN_ALT_IP: '127.0.0.2',
      TURN_ALLOW_PEERS: '10.0.0.0/8, fd00::/8', TURN_RELAY_MIN_PORT: '40000', TURN_RELAY_MAX_PORT: '40100', TURN_TCP: 'off',
      TURN_WORKERS: '3',
    });
    expect(c).toMatchObject({ listen: '127.0.0.1', listenV6: null, port: 0, altPort: null, altIp: '127.0.0.2', allowPeers: ['10.0.0.0/8', 'fd00::/8'], tcp: false, workers: 3 });
  });

  it.each([
    [{ TURN_PORT: '70000' }, /TURN_PORT must be an integer from 0 to 65535, got "70000"/],
    [{ TURN_LISTEN: 'localhost' }, /TURN_LISTEN must be an IP address/],
    [{ TURN_ALLOW_PEERS: '10.0.0.0/40' }, /TURN_ALLOW_PEERS: "10.0.0.0\/40" is not a CIDR/],
    [{ TURN_RELAY_MIN_PORT: '5000', TURN_RELAY_MAX_PORT: '4000' }, /above TURN_RELAY_MAX_PORT/],
    [{ TURN_TLS_CERT: '/x.pem' }, /must be set together/],
    [{ TURN_LOG_LEVEL: 'loud' }, /TURN_LOG_LEVEL must be one of/],
    [{ TURN_WORKERS: '0' }, /TURN_WORKERS must be auto \(one per CPU\) or an integer from 1 to 64, got "0"/],
    [{ TURN_WORKERS: 'many' }, /TURN_WORKERS must be auto/],
  ])('rejects %o with a clear message', (env, message) => {
    expect(() => turnConfigFromEnv({ TURN_SECRET: 's', ...env })).toThrow(message);
  });

  it('requires a secret', () => {
    expect(() => turnConfigFromEnv({})).toThrow(/TURN_SECRET is required/);
  });
});
