// The adapter over real loopback sockets: UDP and TCP allocations relaying to a peer, graceful close, counters.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { Method, StunClass } from '../stun/constants';
import { encodeChannelData, decodeChannelData } from '../stun/channel-data';
import { channelBindRequest, createPermissionRequest, parseMessage, refreshRequest, sendIndication } from '../testing/client-messages';
import { StreamTestClient, UdpTestClient } from '../testing/socket-clients';
import { allocateVia, isResponseTo, isStun, startServerForTest, udpTransport } from '../testing/test-server';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const startTestServer = (env: Record<string, string> = {}) => startServerForTest(cleanups, env);

describe('startTurnServer over loopback', () => {
  it('UDP: allocation, permission, Send → peer, peer → Data, ChannelData both ways, counters', async () => {
    const server = await startTestServer({ TURN_ALLOW_PEERS: '127.0.0.1/32' });
    const client = await UdpTestClient.open();
    const peer = await UdpTestClient.open();
    cleanups.push(() => client.close(), () => peer.close());
    const t = udpTransport(client, server.udpPort);
    const { creds, relay } = await allocateVia(t);
    expect(relay.address).toBe('127.0.0.1');
    expect(server.counters().allocations).toBe(1);

    t.send(createPermissionRequest(creds, [peer.address]));
    expect(parseMessage(await t.next(isResponseTo(Method.createPermission))).cls).toBe(StunClass.success);
    t.send(sendIndication(peer.address, Buffer.from('hello peer')));
    const atPeer = await peer.next();
    expect(atPeer.toString()).toBe('hello peer');
    peer.send(Buffer.from('hello client'), relay.port);
    const data = parseMessage(await client.next((m) => isStun(m) && parseMessage(m).method === Method.data));
    expect(data.data?.toString()).toBe('hello client');
    expect(data.peer).toEqual(peer.address);

    t.send(channelBindRequest(creds, 0x4000, peer.address));
    expect(parseMessage(await t.next(isResponseTo(Method.channelBind))).cls).toBe(StunClass.success);
    client.send(encodeChannelData(0x4000, Buffer.from('via channel')), server.udpPort);
    expect((await peer.next()).toString()).toBe('via channel');
    peer.send(Buffer.from('channel back'), relay.port);
    const cd = decodeChannelData(await client.next((m) => !isStun(m)));
    expect(cd.ok && cd.data.toString()).toBe('channel back');
    expect(server.counters()).toMatchObject({ allocations: 1, permissions: 1, channels: 1, packetsToPeer: 2, packetsToClient: 2 });

    t.send(refreshRequest(creds, 0));
    expect(parseMessage(await t.next(isResponseTo(Method.refresh))).lifetime).toBe(0);
    expect(server.counters().allocations).toBe(0);
  });

  it('TCP: allocation on the same port as UDP relays over UDP; closing the connection ends the allocation', async () => {
    const server = await startTestServer({ TURN_ALLOW_PEERS: '127.0.0.1/32' });
    expect(server.tcpPort).toBe(server.udpPort);
    const client = await StreamTestClient.open(server.tcpPort!);
    const peer = await UdpTestClient.open();
    cleanups.push(() => client.close(), () => peer.close());
    const { creds, relay } = await allocateVia(client);
    client.send(channelBindRequest(creds, 0x4abc, peer.address));
    expect(parseMessage(await client.next(isResponseTo(Method.channelBind))).cls).toBe(StunClass.success);
    client.send(encodeChannelData(0x4abc, Buffer.from('tcp!'), true));
    expect((await peer.next()).toString()).toBe('tcp!');
    peer.send(Buffer.from('odd'), relay.port); // 3 bytes: padded to 4 on the stream
    const back = await client.next((m) => !isStun(m));
    expect(back.length).toBe(8);
    const cd = decodeChannelData(back);
    expect(cd.ok && cd.data.toString()).toBe('odd');
    expect(server.counters().tcpConnections).toBe(1);
    await client.close();
    await expect.poll(() => server.counters().allocations).toBe(0);
  });

  it('close() is graceful and idempotent: allocations closed, relay and listening ports released', async () => {
    const server = await startTestServer();
    const client = await UdpTestClient.open();
    cleanups.push(() => client.close());
    const { relay } = await allocateVia(udpTransport(client, server.udpPort));
    await Promise.all([server.close(), server.close()]);
    expect(server.counters().allocations).toBe(0);
    for (const port of [relay.port, server.udpPort]) {
      const s = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(port, '127.0.0.1', () => resolve());
      });
      s.close();
    }
  });
});
