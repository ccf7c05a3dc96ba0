import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerQuery, parseQuery } from './lab-dns';
import { serveLabDns } from './lab-dns-server';
import { connect } from 'node:net';
import { Resolver } from 'node:dns/promises';

const captured = JSON.parse(readFileSync(new URL('./testdata/dns-c-ares-queries.json', import.meta.url), 'utf8')) as { A: string; AAAA: string };
const zone = { a: { 'turn.p2l.test': '198.51.100.1' }, ttl: 60 };
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
/** A query for `name`, type `type`, id 0x1234, RD set; `edns` adds an OPT record (as Chromium's client sends). */
function query(name: string, type: number, edns = false): Uint8Array {
  const labels = name.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]);
  const opt = edns ? [0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0] : [];
  return Uint8Array.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0, ...labels, 0, 0, type, 0, 1, ...opt]);
}
const rcode = (a: Uint8Array | null) => a && a[3]! & 0xf;
const answers = (a: Uint8Array | null) => a && ((a[6]! << 8) | a[7]!);

describe('the lab DNS responder', () => {
  it('answers a captured A query for the server name with its address, authoritative, same id', () => {
    const q = hex(captured.A);
    const a = answerQuery(q, zone)!;
    expect([a[0], a[1]]).toEqual([q[0], q[1]]);
    expect(a[2]! & 0x84).toBe(0x84); // QR, AA
    expect(rcode(a)).toBe(0);
    expect(answers(a)).toBe(1);
    expect([...a.subarray(a.length - 4)]).toEqual([198, 51, 100, 1]);
  });
  it('says "no such record" at once for the AAAA the lab does not have (NOERROR, no answer), not NXDOMAIN', () => {
    const a = answerQuery(hex(captured.AAAA), zone);
    expect(rcode(a)).toBe(0);
    expect(answers(a)).toBe(0);
  });
  it('NXDOMAIN for other names in its zone, REFUSED outside it, whatever the case of the name', () => {
    expect(rcode(answerQuery(query('other.p2l.test', 1), zone))).toBe(3);
    expect(rcode(answerQuery(query('example.org', 1), zone))).toBe(5);
    expect(answers(answerQuery(query('TURN.P2L.test', 1), zone))).toBe(1);
    expect(answers(answerQuery(query('turn.p2l.test', 1, true), zone))).toBe(1);
  });
  it('drops responses and runts, FORMERR for a broken question; never throws', () => {
    const q = hex(captured.A);
    const response = Uint8Array.from(q);
    response[2]! |= 0x80;
    expect(answerQuery(response, zone)).toBeNull();
    expect(answerQuery(q.subarray(0, 5), zone)).toBeNull();
    expect(rcode(answerQuery(q.subarray(0, 20), zone))).toBe(1);
    const bad = Uint8Array.from(q);
    bad[12] = 0xc0; // a pointer in the question
    expect(parseQuery(bad)).toEqual({ ok: false, reason: 'bad-name' });
    for (let n = 0; n < 200; n++) expect(() => answerQuery(Uint8Array.from({ length: n % 40 }, (_, i) => (i * 37 + n) & 0xff), zone)).not.toThrow();
  });
  it('serves over UDP and TCP: a resolver gets the address, and nothing for AAAA', async () => {
    // Port 53 needs root; the lab runs as root anyway. A loopback address of its own (127.0.0.0/8).
    if (process.getuid?.() !== 0) return;
    const address = '127.0.53.53';
    const server = await serveLabDns(address, zone);
    try {
      const r = new Resolver({ timeout: 1000, tries: 1 });
      r.setServers([address]);
      expect(await r.resolve4('turn.p2l.test')).toEqual(['198.51.100.1']);
      await expect(r.resolve6('turn.p2l.test')).rejects.toMatchObject({ code: 'ENODATA' });
      await expect(r.resolve4('nope.p2l.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      // TCP (RFC 1035 §4.2.2: two length bytes before each message), two queries in one segment.
      const q = hex(captured.A);
      const framed = Buffer.concat([Buffer.from([0, q.length]), q, Buffer.from([0, q.length]), q]);
      const reply = await new Promise<Buffer>((resolve, reject) => {
        let got = Buffer.alloc(0);
        const s = connect(53, address, () => s.write(framed));
        s.on('error', reject);
        s.on('data', (d) => {
          got = Buffer.concat([got, d]);
          if (got.length >= 2 * (2 + 47)) {
            s.destroy();
            resolve(got);
          }
        });
      });
      expect(reply.readUInt16BE(0)).toBe(47);
      expect([...reply.subarray(45, 49)]).toEqual([198, 51, 100, 1]);
    } finally {
      server.close();
    }
  });
});
