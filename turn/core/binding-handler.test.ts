import { describe, expect, it } from 'vitest';
import { Attr, StunClass } from '../stun/constants';
import { u32Attribute } from '../stun/message';
import { bindingRequest, parseMessage } from '../testing/client-messages';
import type { EndpointRole } from '../../common/net/endpoint-role';
import { flipVia } from './binding-handler';
import { TurnCore } from './turn-core';
import { DEFAULT_LIFETIMES, type ClientRef, type CoreConfig, type TurnAction } from './types';

const T0 = 1_800_000_000_000;
const FOUR: CoreConfig['endpoints'] = {
  4: {
    primary: { family: 4, address: '192.0.2.1', port: 3478 },
    'alt-port': { family: 4, address: '192.0.2.1', port: 3479 },
    'alt-ip': { family: 4, address: '192.0.2.2', port: 3478 },
    'alt-ip-port': { family: 4, address: '192.0.2.2', port: 3479 },
  },
  6: {},
};

function makeCore(endpoints: CoreConfig['endpoints'] = FOUR): TurnCore {
  return new TurnCore({
    realm: 'p2pcheck', secret: 's', nonceTtlMs: 600_000, ...DEFAULT_LIFETIMES, userQuota: 0, totalQuota: 0, sourceQuota: 0, maxBps: 0,
    maxPermissions: 10, maxChannels: 10, unauthRate: 0, allowPeers: [], endpoints, relayFamilies: { 4: true, 6: false },
  });
}

function who(via: EndpointRole, transport: 'udp' | 'tcp' = 'udp'): ClientRef {
  return { key: `${transport}:198.51.100.10:40000:${via}`, transport, address: '198.51.100.10', port: 40000, family: 4, via };
}

function reply(actions: TurnAction[]) {
  expect(actions).toHaveLength(1);
  const s = actions[0]!;
  if (s.type !== 'send') throw new Error(`expected send, got ${s.type}`);
  return { via: s.via, msg: parseMessage(s.data) };
}

const ROLES: EndpointRole[] = ['primary', 'alt-port', 'alt-ip', 'alt-ip-port'];

describe('flipVia (RFC 5780 §7.2)', () => {
  it('flips the IP and/or the port of every endpoint', () => {
    const table = ROLES.map((v) => [flipVia(v, false, false), flipVia(v, false, true), flipVia(v, true, false), flipVia(v, true, true)]);
    expect(table).toEqual([
      ['primary', 'alt-port', 'alt-ip', 'alt-ip-port'],
      ['alt-port', 'primary', 'alt-ip-port', 'alt-ip'],
      ['alt-ip', 'alt-ip-port', 'primary', 'alt-port'],
      ['alt-ip-port', 'alt-ip', 'alt-port', 'primary'],
    ]);
  });
});

describe('Binding with four endpoints (two IPs, two ports)', () => {
  it('answers each CHANGE-REQUEST from the flipped endpoint, RESPONSE-ORIGIN naming it, OTHER-ADDRESS the opposite one', () => {
    const core = makeCore();
    for (const via of ROLES) {
      for (const [flags, ip, port] of [[0, false, false], [0x02, false, true], [0x04, true, false], [0x06, true, true]] as const) {
        const r = reply(core.handleClientPacket(who(via), bindingRequest([u32Attribute(Attr.changeRequest, flags)]), T0));
        const target = flipVia(via, ip, port);
        expect(r.msg.cls, `${via} ${flags}`).toBe(StunClass.success);
        expect(r.via, `${via} ${flags}`).toBe(target);
        expect(r.msg.responseOrigin, `${via} ${flags}`).toEqual(FOUR[4][target]);
        expect(r.msg.otherAddress, `${via} ${flags}`).toEqual(FOUR[4][flipVia(via, true, true)]);
        expect(r.msg.mapped).toEqual({ family: 4, address: '198.51.100.10', port: 40000 });
      }
    }
  });

  it('without CHANGE-REQUEST answers from the endpoint the request reached', () => {
    const r = reply(makeCore().handleClientPacket(who('alt-ip'), bindingRequest(), T0));
    expect(r.via).toBe('alt-ip');
    expect(r.msg.responseOrigin).toEqual(FOUR[4]['alt-ip']);
    expect(r.msg.otherAddress).toEqual(FOUR[4]['alt-port']);
  });

  it('a CHANGE-REQUEST of the wrong length → 420', () => {
    const bad = bindingRequest([{ type: Attr.changeRequest, value: Buffer.from([0, 0, 0, 0, 0, 0, 0, 6]) }]);
    const r = reply(makeCore().handleClientPacket(who('primary'), bad, T0));
    expect(r.msg.error).toBe(420);
  });

  it('over TCP: CHANGE-REQUEST → 420 (even "change nothing"), and no OTHER-ADDRESS', () => {
    const core = makeCore();
    expect(reply(core.handleClientPacket(who('primary', 'tcp'), bindingRequest([u32Attribute(Attr.changeRequest, 0)]), T0)).msg.error).toBe(420);
    const plain = reply(core.handleClientPacket(who('primary', 'tcp'), bindingRequest(), T0));
    expect(plain.msg.cls).toBe(StunClass.success);
    expect(plain.msg.responseOrigin).toEqual(FOUR[4].primary);
    expect(plain.msg.otherAddress ?? null).toBeNull();
  });

  it('with two ports on one IP, OTHER-ADDRESS is the other port; with one endpoint there is none', () => {
    const two = makeCore({ 4: { primary: FOUR[4].primary, 'alt-port': FOUR[4]['alt-port'] }, 6: {} });
    expect(reply(two.handleClientPacket(who('alt-port'), bindingRequest(), T0)).msg.otherAddress).toEqual(FOUR[4].primary);
    const one = makeCore({ 4: { primary: FOUR[4].primary }, 6: {} });
    const r = reply(one.handleClientPacket(who('primary'), bindingRequest(), T0));
    expect(r.msg.otherAddress ?? null).toBeNull();
    expect(r.msg.responseOrigin).toEqual(FOUR[4].primary);
    expect(reply(one.handleClientPacket(who('primary'), bindingRequest([u32Attribute(Attr.changeRequest, 0x02)]), T0)).msg.error).toBe(420);
  });
});
