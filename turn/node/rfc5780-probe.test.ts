// RFC 5780 over real sockets (alternate port; alternate IP 127.0.0.2 on loopback) and the probe hooks.
import { afterEach, describe, expect, it } from 'vitest';
import { Attr, Method, StunClass } from '../stun/constants';
import { u32Attribute, textAttribute } from '../stun/message';
import { bindingRequest, buildRequest, parseMessage } from '../testing/client-messages';
import { senderOf, UdpTestClient } from '../testing/socket-clients';
import { startServerForTest } from '../testing/test-server';
import type { EndpointRole } from '../../common/net/endpoint-role';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openClient(): Promise<UdpTestClient> {
  const c = await UdpTestClient.open();
  cleanups.push(() => c.close());
  return c;
}

describe('RFC 5780 NAT behaviour discovery', () => {
  // TURN_LISTEN '' = the default wildcard (0.0.0.0), as in the README's public-deployment step: with TURN_ALT_IP set
  // the server binds the specific addresses instead (127.0.0.1 found beside 127.0.0.2 on lo), like coturn's
  // listening-ip; binding 0.0.0.0 and 127.0.0.2 on one port would fail with EADDRINUSE.
  it.each([['127.0.0.1'], ['']])('with two IPs (TURN_LISTEN=%j): OTHER-ADDRESS, RESPONSE-ORIGIN, and CHANGE-REQUEST answered from the other IP and/or port', async (listen) => {
    const server = await startServerForTest(cleanups, { TURN_LISTEN: listen, TURN_ALT_PORT: '0', TURN_ALT_IP: '127.0.0.2' });
    const client = await openClient();
    const P = server.udpPort;
    const A = server.altPort!;
    client.send(bindingRequest(), P);
    const plain = parseMessage(await client.next());
    expect(plain.mapped).toEqual(client.address);
    expect(plain.responseOrigin).toEqual({ family: 4, address: '127.0.0.1', port: P });
    expect(plain.otherAddress).toEqual({ family: 4, address: '127.0.0.2', port: A });
    const cases: Array<[number, string, number]> = [[0x2, '127.0.0.1', A], [0x4, '127.0.0.2', P], [0x6, '127.0.0.2', A]];
    for (const [flags, ip, port] of cases) {
      client.send(bindingRequest([u32Attribute(Attr.changeRequest, flags)]), P);
      const msg = await client.next();
      expect(senderOf(msg)).toEqual({ address: ip, port });
      expect(parseMessage(msg).responseOrigin).toEqual({ family: 4, address: ip, port });
    }
    // A request sent to the alternate address reports OTHER-ADDRESS relative to it.
    client.send(bindingRequest(), A, '127.0.0.2');
    expect(parseMessage(await client.next()).otherAddress).toEqual({ family: 4, address: '127.0.0.1', port: P });
  });

  it('with one IP: change-port works, change-IP is refused with 420 and UNKNOWN-ATTRIBUTES', async () => {
    const server = await startServerForTest(cleanups, { TURN_ALT_PORT: '0' });
    const client = await openClient();
    client.send(bindingRequest([u32Attribute(Attr.changeRequest, 0x2)]), server.udpPort);
    expect(senderOf(await client.next())).toEqual({ address: '127.0.0.1', port: server.altPort });
    client.send(bindingRequest([u32Attribute(Attr.changeRequest, 0x4)]), server.udpPort);
    const refused = parseMessage(await client.next());
    expect(refused.error).toBe(420);
    expect(refused.msg.attributes.some((a) => a.type === Attr.unknownAttributes)).toBe(true);
  });
});

describe('probe hooks', () => {
  it('offers ICE checks (Binding with USERNAME) and responses to the interceptor; others reach the TURN logic', async () => {
    const server = await startServerForTest(cleanups, { TURN_ALT_PORT: '0' });
    const client = await openClient();
    const seen: Array<{ method: number; cls: number; via: EndpointRole }> = [];
    server.probe.setInterceptor((packet, from, via) => {
      const m = parseMessage(packet);
      seen.push({ method: m.method, cls: m.cls, via });
      expect(from).toEqual({ address: '127.0.0.1', port: client.address.port });
      return m.cls === StunClass.request; // consume ICE checks, let responses fall through
    });
    client.send(buildRequest(Method.binding, [textAttribute(Attr.username, 'remote:local')]), server.altPort!);
    client.send(buildRequest(Method.binding, [], { cls: StunClass.success }), server.udpPort);
    client.send(bindingRequest(), server.udpPort); // a plain Binding is not offered and gets answered
    const answer = parseMessage(await client.next());
    expect(answer.cls).toBe(StunClass.success);
    await expect.poll(() => seen.length).toBe(2); // two sockets: arrival order is not defined
    expect(seen).toEqual(expect.arrayContaining([
      { method: Method.binding, cls: StunClass.request, via: 'alt-port' },
      { method: Method.binding, cls: StunClass.success, via: 'primary' },
    ]));
    expect(await client.silentFor(200)).toBe(true); // the consumed check got no TURN answer
    server.probe.sendFrom('alt-port', { address: '127.0.0.1', port: client.address.port }, Buffer.from('probe'));
    const probe = await client.next();
    expect(probe.toString()).toBe('probe');
    expect(senderOf(probe)).toEqual({ address: '127.0.0.1', port: server.altPort });
    expect(() => server.probe.sendFrom('alt-ip', { address: '127.0.0.1', port: 9 }, Buffer.from('x'))).toThrow(/TURN_ALT_IP/);
    server.probe.setInterceptor(null);
  });
});
