import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../turn/config-error';
import { signalConfigFromEnv } from './config';

describe('signalConfigFromEnv', () => {
  it('runs with nothing set, with limits a public deployment can keep', () => {
    const c = signalConfigFromEnv({});
    expect(c).toMatchObject({ host: '0.0.0.0', port: 8080, iceHost: null, trustProxy: null, metrics: { token: null, listen: null } });
    expect(c.limits).toEqual({
      iceCredentialsPerMinute: 60,
      iceCredentialsBurst: 20,
      wsPerClient: 32,
      wsMaxBufferedBytes: 1024 * 1024,
      wsMessagesPerSecond: 50,
      wsMessageBurst: 200,
    });
    expect(c.allowedOrigins).toEqual({ any: false, origins: new Set() });
    expect(c.drainTimeoutS).toBe(30);
    expect(c.redisUrl).toBeNull();
    expect(signalConfigFromEnv({ REDIS_URL: 'redis://:pw@10.0.0.5:6379/0' }).redisUrl).toBe('redis://:pw@10.0.0.5:6379/0');
    expect(signalConfigFromEnv({ DRAIN_TIMEOUT_S: '0' }).drainTimeoutS).toBe(0);
  });

  it('reads every option', () => {
    const c = signalConfigFromEnv({
      HOST: '::', ICE_HOST: 'p2p.example.org', TRUST_PROXY: 'loopback, 10.0.0.0/8', ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080',
      METRICS_TOKEN: 'abcdefghijklmnop', METRICS_PORT: '9100', ICE_CREDENTIALS_PER_MINUTE: '0', WS_MAX_BUFFERED_KB: '512',
    });
    expect(c.host).toBe('::');
    expect(c.iceHost).toBe('p2p.example.org');
    expect(c.trustProxy?.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(c.allowedOrigins).toEqual({ any: false, origins: new Set(['https://a.example', 'http://b.example:8080']) });
    expect(c.metrics).toEqual({ token: 'abcdefghijklmnop', listen: { host: '127.0.0.1', port: 9100 } });
    expect(c.limits.iceCredentialsPerMinute).toBe(0);
    expect(c.limits.wsMaxBufferedBytes).toBe(512 * 1024);
  });

  it.each([
    ['HOST', { HOST: 'localhost' }, /HOST must be an IP address/],
    ['PORT', { PORT: '80x' }, /PORT must be an integer from 0 to 65535/],
    ['ICE_HOST with a port', { ICE_HOST: 'example.org:3478' }, /ICE_HOST must be a host name or an IP address/],
    ['ICE_HOST with brackets', { ICE_HOST: '[2001:db8::1]' }, /ICE_HOST must be a host name or an IP address without brackets/],
    ['TRUST_PROXY', { TRUST_PROXY: 'my-proxy' }, /TRUST_PROXY: "my-proxy" is not an IP address or CIDR range; set it to loopback/],
    ['TRUST_PROXY prefix', { TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY: "10.0.0.0\/33" has a bad prefix length/],
    ['ALLOWED_ORIGINS', { ALLOWED_ORIGINS: 'https://a.example/path' }, /ALLOWED_ORIGINS: "https:\/\/a.example\/path" is not an origin/],
    ['METRICS_TOKEN', { METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be 16 to 512 characters/],
    ['METRICS_HOST alone', { METRICS_HOST: '127.0.0.1' }, /METRICS_HOST needs METRICS_PORT/],
    ['METRICS_HOST a name', { METRICS_PORT: '9100', METRICS_HOST: 'metrics.local' }, /METRICS_HOST must be an IP address/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    ['a negative limit', { WS_MAX_PER_CLIENT: '-1' }, /WS_MAX_PER_CLIENT must be an integer from 0 to/],
    ['a fractional limit', { ICE_CREDENTIALS_PER_MINUTE: '1.5' }, /ICE_CREDENTIALS_PER_MINUTE must be an integer/],
    ['a buffer smaller than a message', { WS_MAX_BUFFERED_KB: '64' }, /WS_MAX_BUFFERED_KB must be an integer from 128/],
    ['a zero burst', { WS_MESSAGE_BURST: '0' }, /WS_MESSAGE_BURST must be an integer from 1/],
    ['DRAIN_TIMEOUT_S', { DRAIN_TIMEOUT_S: '30s' }, /DRAIN_TIMEOUT_S must be an integer from 0 to 3600/],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['REDIS_PRESENCE_TTL_MS', { REDIS_PRESENCE_TTL_MS: '100' }, /REDIS_PRESENCE_TTL_MS must be an integer from 500/],
  ])('refuses a bad %s with one line naming it', (_name, env, message) => {
    let error: unknown;
    try {
      signalConfigFromEnv(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(Object.keys(env)).toContain((error as ConfigError).variable);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('signal/main.ts with a bad setting', () => {
  // The signaling settings and the bundled TURN server's (turn/turn-config.ts), whatever words the message uses.
  it.each([
    [{ HOST: 'localhost', TURN_ENABLED: '0' }, 'HOST must be an IP address to listen on (e.g. 0.0.0.0, :: or 127.0.0.1), not a host name, got "localhost"'],
    [{ TURN_SECRET: 'x', TURN_ALLOW_PEERS: '10.0.0.0/8,lan' }, 'TURN_ALLOW_PEERS: "lan" is not a CIDR (e.g. 10.0.0.0/8 or fd00::/8)'],
  ])('prints one line naming the option and the fix, no stack trace, and exits non-zero (%o)', (env, line) => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const dataDir = mkdtempSync(join(tmpdir(), 'p2pcheck-config-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'signal/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`p2pcheck: configuration error: ${line}`);
    expect(run.stdout).toBe('');
  });
});
