// TURN_SECRET rotation over real loopback sockets: while TURN_SECRET_PREVIOUS is set, a client holding a credential
// made with either secret gets its allocation; a credential from any other secret is refused with 401.
import { afterEach, describe, expect, it } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { Method } from '../stun/constants';
import { ConfigError } from '../config-error';
import { turnConfigFromEnv } from '../turn-config';
import { allocateRequest, parseMessage } from '../testing/client-messages';
import { UdpTestClient } from '../testing/socket-clients';
import { isResponseTo, startServerForTest, TEST_SECRET, udpTransport } from '../testing/test-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function allocateWith(port: number, secret: string, id: string): Promise<number | null> {
  const client = await UdpTestClient.open();
  cleanups.push(() => client.close());
  const t = udpTransport(client, port);
  t.send(allocateRequest());
  const challenge = parseMessage(await t.next(isResponseTo(Method.allocate)));
  const rest = createRestCredential(secret, { ttlSeconds: 600, id });
  t.send(allocateRequest({ username: rest.username, password: rest.credential, realm: challenge.realm!, nonce: challenge.nonce! }));
  return parseMessage(await t.next(isResponseTo(Method.allocate))).error;
}

describe('TURN secret rotation', () => {
  it('accepts credentials made with TURN_SECRET or TURN_SECRET_PREVIOUS, and refuses any other', async () => {
    const server = await startServerForTest(cleanups, { TURN_SECRET_PREVIOUS: 'the-old-secret' });
    expect(await allocateWith(server.udpPort, TEST_SECRET, 'new')).toBeNull();
    expect(await allocateWith(server.udpPort, 'the-old-secret', 'old')).toBeNull();
    expect(await allocateWith(server.udpPort, 'someone-else', 'forger')).toBe(401);
    expect(server.counters().allocations).toBe(2);
  });

  it('without TURN_SECRET_PREVIOUS a credential from the old secret is refused', async () => {
    const server = await startServerForTest(cleanups);
    expect(await allocateWith(server.udpPort, 'the-old-secret', 'old')).toBe(401);
  });

  it('refuses TURN_SECRET_PREVIOUS equal to TURN_SECRET with a one-line error naming the variable', () => {
    const run = () => turnConfigFromEnv({ TURN_SECRET: 'same', TURN_SECRET_PREVIOUS: 'same', TURN_LISTEN_V6: 'off' });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/^TURN_SECRET_PREVIOUS equals TURN_SECRET: .*unset it once the rotation is over$/);
  });
});
