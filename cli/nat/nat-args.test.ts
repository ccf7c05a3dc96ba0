import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER, DEFAULT_TIMEOUT_S, parseNatArgs, serverOrigin } from './nat-args';

describe('p2pcheck nat options', () => {
  it('defaults: the server npm start runs, summary, 30 s', () => {
    expect(parseNatArgs([], {})).toEqual({ ok: true, args: { server: DEFAULT_SERVER, json: false, timeoutMs: DEFAULT_TIMEOUT_S * 1000, quiet: false } });
  });

  it('reads --server (also host:port and a room link: its origin), --json, --timeout, --quiet', () => {
    expect(parseNatArgs(['--server', 'https://p2p.example.org/r/abc?x=1', '--json', '--timeout', '12.5', '-q'], {})).toEqual({
      ok: true,
      args: { server: 'https://p2p.example.org', json: true, timeoutMs: 12500, quiet: true },
    });
    expect(parseNatArgs(['--server=10.0.0.5:8080'], {})).toMatchObject({ args: { server: 'http://10.0.0.5:8080' } });
  });

  it('P2PCHECK_SERVER is the default server; --server wins over it', () => {
    expect(parseNatArgs([], { P2PCHECK_SERVER: 'https://a.example' })).toMatchObject({ args: { server: 'https://a.example' } });
    expect(parseNatArgs(['--server', 'http://b.example'], { P2PCHECK_SERVER: 'https://a.example' })).toMatchObject({ args: { server: 'http://b.example' } });
  });

  it.each([
    [['--server', 'ftp://x'], /^--server must be an http:\/\/ or https:\/\/ URL .* got "ftp:\/\/x"$/],
    [['--server', ''], /^--server must be/],
    [['--server', 'http://user:pw@host'], /^--server must be/],
    [['--timeout', '0'], /^--timeout must be a number of seconds from 1 to 600, got "0"$/],
    [['--timeout', 'ten'], /^--timeout must be/],
    [['--timeout', '601'], /^--timeout must be/],
    [['--srever', 'x'], /^Unknown option '--srever'.*\(see p2pcheck nat --help\)$/],
    [['extra'], /positional argument.*\(see p2pcheck nat --help\)$/],
  ])('%j is refused with a one-line reason', (argv, message) => {
    const r = parseNatArgs(argv, {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(message);
      expect(r.error).not.toContain('\n');
    }
  });

  it('a bad P2PCHECK_SERVER is named as such', () => {
    expect(parseNatArgs([], { P2PCHECK_SERVER: 'nonsense://' })).toEqual({ ok: false, error: expect.stringMatching(/^P2PCHECK_SERVER must be/) });
  });

  it('--help', () => {
    expect(parseNatArgs(['--help'], {})).toEqual({ ok: true, help: true });
  });

  it('serverOrigin drops paths and keeps ports', () => {
    expect(serverOrigin('localhost:8080/')).toBe('http://localhost:8080');
    expect(serverOrigin('[::1]:8080')).toBe('http://[::1]:8080');
  });
});
