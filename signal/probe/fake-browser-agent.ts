// Test support: a UDP socket that plays a browser's ICE agent towards the probe peer — it sends signed
// connectivity checks (USERNAME "<probe ufrag>:<browser ufrag>", MESSAGE-INTEGRITY with the probe's pwd) and
// answers the probe's own checks. Bound to a chosen loopback address so tests can be several clients.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { Attr, Method, StunClass } from '../../turn/stun/constants';
import { appendFingerprint } from '../../turn/stun/fingerprint';
import { appendMessageIntegrity } from '../../turn/stun/integrity';
import { decodeStunMessage, encodeStunMessage, textAttribute, u32Attribute } from '../../turn/stun/message';

export const BROWSER_UFRAG = 'brow';
export const BROWSER_PWD = 'browserpasswordbrowserp';
export const BROWSER_OFFER = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0',
  `a=ice-ufrag:${BROWSER_UFRAG}`, `a=ice-pwd:${BROWSER_PWD}`, 'a=setup:actpass', 'a=mid:0', 'a=sctp-port:5000', '',
].join('\r\n');

/** The probe's ICE credentials from its answer SDP. */
export function probeCredentials(answerSdp: string): { ufrag: string; pwd: string } {
  return { ufrag: /a=ice-ufrag:(\S+)/.exec(answerSdp)![1]!, pwd: /a=ice-pwd:(\S+)/.exec(answerSdp)![1]! };
}

export interface FakeBrowserAgent {
  sock: Socket;
  /** Success responses received to our checks. */
  answered(): number;
  /** Sends one signed check; `id` makes the transaction id. */
  sendCheck(probe: { ufrag: string; pwd: string }, port: number, id: number): void;
  /** Sends a check and waits (at most `timeoutMs`) for its answer. */
  check(probe: { ufrag: string; pwd: string }, port: number, timeoutMs?: number): Promise<boolean>;
  close(): void;
}

export async function fakeBrowserAgent(localAddress = '127.0.0.1'): Promise<FakeBrowserAgent> {
  const sock = createSocket('udp4');
  sock.bind(0, localAddress);
  await once(sock, 'listening');
  let answered = 0;
  const waiters = new Map<string, () => void>();
  sock.on('message', (buf, rinfo) => {
    const d = decodeStunMessage(buf);
    if (!d.ok) return;
    const m = d.message;
    if (m.cls === StunClass.success) {
      answered += 1;
      waiters.get(m.transactionId.toString('hex'))?.();
      return;
    }
    if (m.cls !== StunClass.request) return;
    // The probe's own check: answer it, signed with our pwd (an open NAT lets everything in).
    const res = encodeStunMessage({ method: Method.binding, cls: StunClass.success, transactionId: m.transactionId, attributes: [] });
    sock.send(appendFingerprint(appendMessageIntegrity(res, Buffer.from(BROWSER_PWD))), rinfo.port, rinfo.address);
  });
  let nextId = 1_000_000;
  const sendCheck = (probe: { ufrag: string; pwd: string }, port: number, id: number) => {
    const tx = Buffer.alloc(12);
    tx.writeUInt32BE(id >>> 0, 8);
    tx.write(localAddress.replace(/\D/g, '').slice(-8).padStart(8, '0'), 0, 8, 'latin1');
    const body = encodeStunMessage({
      method: Method.binding,
      cls: StunClass.request,
      transactionId: tx,
      attributes: [textAttribute(Attr.username, `${probe.ufrag}:${BROWSER_UFRAG}`), u32Attribute(Attr.priority, 1845501695), { type: Attr.iceControlling, value: Buffer.alloc(8, 1) }],
    });
    sock.send(appendFingerprint(appendMessageIntegrity(body, Buffer.from(probe.pwd))), port, '127.0.0.1');
    return tx.toString('hex');
  };
  return {
    sock,
    answered: () => answered,
    sendCheck: (probe, port, id) => void sendCheck(probe, port, id),
    check: (probe, port, timeoutMs = 1000) =>
      new Promise<boolean>((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => resolve(false), timeoutMs);
        const tx = sendCheck(probe, port, id);
        waiters.set(tx, () => {
          clearTimeout(timer);
          waiters.delete(tx);
          resolve(true);
        });
      }),
    close: () => sock.close(),
  };
}
