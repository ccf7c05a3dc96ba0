// The lab's DNS: a tiny authoritative responder for the lab's own zone (p2l.test), so that browsers find the
// server by name the way they do on a real network — Chromium looks STUN/TURN names up with its own DNS client
// (not /etc/hosts), and Firefox asks DNS for the AAAA record the hosts file lacks. Pure core (bytes in, bytes
// out; RFC 1035 §4.1), the sockets in lab-dns-server.ts. It answers only its zone: A from the table, no data for
// other types of a known name, NXDOMAIN for unknown names in the zone, REFUSED for every other name.

export const LAB_DNS_ZONE = 'p2l.test';

/** DNS record types this responder knows (RFC 1035 §3.2.2, RFC 3596). */
const TYPE_A = 1;
const TYPE_AAAA = 28;
const CLASS_IN = 1;

const RCODE = { noError: 0, formErr: 1, nxDomain: 3, notImp: 4, refused: 5 } as const;

export interface DnsZone {
  /** Lower-case fully qualified names (no trailing dot) → IPv4 addresses. */
  a: Record<string, string>;
  ttl: number;
}

export interface DnsQuestion {
  id: number;
  flags: number;
  name: string;
  type: number;
  klass: number;
  /** Byte offset just after the question, where the answer section starts. */
  end: number;
}

export type ParsedQuery = { ok: true; question: DnsQuestion } | { ok: false; reason: 'short' | 'not-a-query' | 'question-count' | 'bad-name' };

/** Reads the header and the single question of a query; never throws. */
export function parseQuery(msg: Uint8Array): ParsedQuery {
  if (msg.length < 12) return { ok: false, reason: 'short' };
  const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const id = view.getUint16(0);
  const flags = view.getUint16(2);
  if (flags & 0x8000) return { ok: false, reason: 'not-a-query' }; // QR set: a response
  if (view.getUint16(4) !== 1) return { ok: false, reason: 'question-count' };
  const labels: string[] = [];
  let i = 12;
  for (let n = 0; ; n++) {
    if (i >= msg.length || n > 127) return { ok: false, reason: 'bad-name' };
    const len = msg[i]!;
    i += 1;
    if (len === 0) break;
    if (len > 63 || i + len > msg.length) return { ok: false, reason: 'bad-name' }; // compression is not used in questions
    labels.push(String.fromCharCode(...msg.subarray(i, i + len)).toLowerCase());
    i += len;
  }
  if (i + 4 > msg.length) return { ok: false, reason: 'short' };
  return { ok: true, question: { id, flags, name: labels.join('.'), type: view.getUint16(i), klass: view.getUint16(i + 2), end: i + 4 } };
}

/** The answer to one query, or null when it is not worth one (too short to carry an id, or not a query). */
export function answerQuery(msg: Uint8Array, zone: DnsZone): Uint8Array | null {
  const parsed = parseQuery(msg);
  if (!parsed.ok) {
    if (parsed.reason === 'short' && msg.length < 12) return null;
    if (parsed.reason === 'not-a-query') return null;
    return header(new DataView(msg.buffer, msg.byteOffset, 12).getUint16(0), 0, RCODE.formErr, 0, 0);
  }
  const q = parsed.question;
  const opcode = (q.flags >> 11) & 0xf;
  const question = msg.subarray(12, q.end);
  const reply = (rcode: number, answers: Uint8Array[] = []): Uint8Array => {
    const head = header(q.id, q.flags & 0x0100, rcode, 1, answers.length); // RD copied
    return concat([head, question, ...answers]);
  };
  if (opcode !== 0) return reply(RCODE.notImp);
  const inZone = q.name === LAB_DNS_ZONE || q.name.endsWith(`.${LAB_DNS_ZONE}`);
  if (!inZone || q.klass !== CLASS_IN) return reply(RCODE.refused);
  const address = zone.a[q.name];
  if (address === undefined) return reply(RCODE.nxDomain);
  if (q.type !== TYPE_A) return reply(RCODE.noError); // NODATA: the name exists, without this type (AAAA too)
  return reply(RCODE.noError, [aRecord(address, zone.ttl)]);
}

/** QR, AA and the given RD bit and RCODE; counts as given. */
function header(id: number, rd: number, rcode: number, qd: number, an: number): Uint8Array {
  const h = new Uint8Array(12);
  const v = new DataView(h.buffer);
  v.setUint16(0, id);
  v.setUint16(2, 0x8000 | 0x0400 | rd | rcode);
  v.setUint16(4, qd);
  v.setUint16(6, an);
  return h;
}

/** An A record whose name points at the question's (offset 12, RFC 1035 §4.1.4). */
function aRecord(address: string, ttl: number): Uint8Array {
  const r = new Uint8Array(16);
  const v = new DataView(r.buffer);
  v.setUint16(0, 0xc00c);
  v.setUint16(2, TYPE_A);
  v.setUint16(4, CLASS_IN);
  v.setUint32(6, ttl);
  v.setUint16(10, 4);
  address.split('.').forEach((octet, i) => (r[12 + i] = Number(octet)));
  return r;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const DNS_TYPES = { A: TYPE_A, AAAA: TYPE_AAAA } as const;
