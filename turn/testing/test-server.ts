// Shared by the adapter, attack and interop tests: a TURN server on loopback with ephemeral ports, and the
// 401-then-Allocate dance over any transport.
import { expect } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { Method, StunClass } from '../stun/constants';
import { turnConfigFromEnv } from '../turn-config';
import { startTurnServer, type RunningTurnServer } from '../node/turn-server';
import { allocateRequest, parseMessage, type Credentials } from './client-messages';
import type { UdpTestClient } from './socket-clients';

export const TEST_SECRET = 'adapter-test';

export async function startServerForTest(cleanups: Array<() => Promise<unknown>>, env: Record<string, string> = {}): Promise<RunningTurnServer> {
  const server = await startTurnServer(
    turnConfigFromEnv({
      TURN_SECRET: TEST_SECRET, TURN_LISTEN: '127.0.0.1', TURN_LISTEN_V6: 'off', TURN_PORT: '0', TURN_ALT_PORT: 'off',
      TURN_RELAY_MIN_PORT: '0', TURN_LOG_LEVEL: 'silent', ...env,
    }),
  );
  cleanups.push(() => server.close());
  return server;
}

export interface Transport {
  send(data: Buffer): void;
  next(match?: (m: Buffer) => boolean, timeoutMs?: number): Promise<Buffer>;
}

export const isStun = (m: Buffer) => (m[0]! & 0xc0) === 0;
export const isResponseTo = (method: number) => (m: Buffer) =>
  isStun(m) && parseMessage(m).method === method && parseMessage(m).cls !== StunClass.indication;

export function udpTransport(c: UdpTestClient, port: number, host = '127.0.0.1'): Transport {
  return { send: (d) => c.send(d, port, host), next: (m, t) => c.next(m, t) };
}

export async function allocateVia(t: Transport, id = 'alice', extra: Parameters<typeof allocateRequest>[1] = []): Promise<{ creds: Credentials; relay: { family: 4 | 6; address: string; port: number } }> {
  t.send(allocateRequest(undefined, extra));
  const challenge = parseMessage(await t.next(isResponseTo(Method.allocate)));
  expect(challenge.error).toBe(401);
  const rest = createRestCredential(TEST_SECRET, { ttlSeconds: 600, id });
  const creds = { username: rest.username, password: rest.credential, realm: challenge.realm!, nonce: challenge.nonce! };
  t.send(allocateRequest(creds, extra));
  const ok = parseMessage(await t.next(isResponseTo(Method.allocate)));
  expect(ok.error).toBeNull();
  return { creds, relay: ok.relayed! };
}
