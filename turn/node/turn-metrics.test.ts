// Operations: Prometheus metrics and JSON-lines allocation logs, as an operator reads them.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createRestCredential } from '../auth/rest-credentials';
import { Method } from '../stun/constants';
import { allocateRequest, createPermissionRequest, parseMessage, refreshRequest, sendIndication } from '../testing/client-messages';
import { UdpTestClient } from '../testing/socket-clients';
import { allocateVia, isResponseTo, TEST_SECRET, udpTransport } from '../testing/test-server';
import { turnConfigFromEnv } from '../turn-config';
import { startTurnServer } from './turn-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('metrics and logs', () => {
  it('exposes allocations, relayed packets/bytes, auth failures and error codes; logs allocation start and end', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
    const server = await startTurnServer(turnConfigFromEnv({
      TURN_SECRET: TEST_SECRET, TURN_LISTEN: '127.0.0.1', TURN_LISTEN_V6: 'off', TURN_PORT: '0', TURN_ALT_PORT: 'off',
      TURN_RELAY_MIN_PORT: '0', TURN_ALLOW_PEERS: '127.0.0.1/32',
    }), { logger: pino({ level: 'info' }, sink) });
    cleanups.push(() => server.close());
    const client = await UdpTestClient.open();
    const peer = await UdpTestClient.open();
    cleanups.push(() => client.close(), () => peer.close());
    const t = udpTransport(client, server.udpPort);
    const { creds } = await allocateVia(t);
    t.send(createPermissionRequest(creds, [peer.address]));
    await t.next(isResponseTo(Method.createPermission));
    t.send(sendIndication(peer.address, Buffer.alloc(100)));
    await peer.next();
    const bad = createRestCredential('wrong', { ttlSeconds: 60 });
    t.send(allocateRequest({ ...creds, username: bad.username, password: bad.credential }));
    expect(parseMessage(await t.next(isResponseTo(Method.allocate))).error).toBe(401);

    const text = await server.registry.metrics();
    expect(text).toMatch(/^p2pcheck_turn_allocations 1$/m);
    expect(text).toMatch(/^p2pcheck_turn_permissions 1$/m);
    expect(text).toMatch(/^p2pcheck_turn_relayed_packets_total\{direction="to_peer"\} 1$/m);
    expect(text).toMatch(/^p2pcheck_turn_relayed_bytes_total\{direction="to_peer"\} 100$/m);
    expect(text).toMatch(/^p2pcheck_turn_auth_failures_total\{reason="bad-integrity"\} 1$/m);
    expect(text).toMatch(/^p2pcheck_turn_error_responses_total\{code="401"\} 2$/m); // challenge + bad credential
    expect(text).toMatch(/^p2pcheck_turn_allocations_created_total 1$/m);

    t.send(refreshRequest(creds, 0));
    await t.next(isResponseTo(Method.refresh));
    expect(await server.registry.metrics()).toMatch(/^p2pcheck_turn_allocations_closed_total 1$/m);
    const start = lines.find((l) => l.event === 'allocation-start');
    const end = lines.find((l) => l.event === 'allocation-end');
    expect(start).toMatchObject({ user: creds.username, transport: 'udp', client: `127.0.0.1:${client.address.port}` });
    expect(end).toMatchObject({ allocation: start!.allocation, reason: 'refresh-0', bytesToPeer: 100, bytesToClient: 0 });
  });
});
