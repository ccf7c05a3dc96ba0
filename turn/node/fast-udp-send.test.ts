import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { udpSender } from './fast-udp-send';

const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

async function bound(type: 'udp4' | 'udp6' = 'udp4'): Promise<Socket> {
  const s = createSocket(type);
  sockets.push(s);
  s.bind(0, type === 'udp4' ? '127.0.0.1' : '::1');
  await once(s, 'listening');
  return s;
}

describe.each([
  ['direct handle send', {}],
  ['dgram send (TURN_FAST_SEND=off)', { TURN_FAST_SEND: 'off' }],
])('udpSender: %s', (_name, env) => {
  it('delivers the datagram byte for byte from the socket it was given', async () => {
    const [from, to] = await Promise.all([bound(), bound()]);
    const { send, fast } = udpSender(from, env);
    expect(fast).toBe(!('TURN_FAST_SEND' in env));
    const errors: string[] = [];
    const got = once(to, 'message') as Promise<[Buffer, { port: number }]>;
    send(from, Buffer.from('relayed payload'), to.address().port, '127.0.0.1', (c) => errors.push(c));
    const [msg, rinfo] = await got;
    expect(msg.toString()).toBe('relayed payload');
    expect(rinfo.port).toBe(from.address().port);
    expect(errors).toEqual([]);
  });

  it('reports a failed send with its code and keeps working (an IPv6 destination on an IPv4 socket)', async () => {
    const [from, to] = await Promise.all([bound(), bound()]);
    const { send } = udpSender(from, env);
    const errors: string[] = [];
    send(from, Buffer.from('x'), 9, '::1', (c) => errors.push(c));
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^E[A-Z]+$/);
    const got = once(to, 'message');
    send(from, Buffer.from('still fine'), to.address().port, '127.0.0.1', (c) => errors.push(c));
    expect(String((await got)[0])).toBe('still fine');
  });

  it('reports, not throws, a send on a closed socket', async () => {
    const from = await bound();
    const { send } = udpSender(from, env);
    sockets.splice(sockets.indexOf(from), 1);
    await new Promise<void>((r) => from.close(() => r()));
    const errors: string[] = [];
    expect(() => send(from, Buffer.from('x'), 9, '127.0.0.1', (c) => errors.push(c))).not.toThrow();
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toHaveLength(1);
  });
});
