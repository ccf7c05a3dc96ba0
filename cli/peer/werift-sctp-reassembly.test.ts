// The inbound reassembly the headless peer's data channels rely on: chunks as an SCTP association receives them
// when several channels carry data at once (TSNs of one stream interleaved with another's), fragments, gaps and
// unordered messages; first the pure loop, then werift's own association with the fix installed.
import { describe, expect, it } from 'vitest';
import { RTCPeerConnection } from 'werift';
import { installSctpReassemblyFix, popCompleteMessages, type InboundStreamState, type ReassemblyChunk } from './werift-sctp-reassembly';

const FIRST = 0x02;
const LAST = 0x01;
const UNORDERED = 0x04;
const WHOLE = FIRST | LAST;

const chunk = (tsn: number, flags: number, streamSeqNum: number, text: string): ReassemblyChunk => ({
  tsn, flags, streamId: 0, streamSeqNum, protocol: 51, userData: Buffer.from(text),
});
const texts = (stream: InboundStreamState) => [...popCompleteMessages(stream)].map(([, , data]) => data.toString());

describe('SCTP reassembly of one inbound stream', () => {
  it('delivers every complete message at once when another stream\'s chunks sat between them (werift gave one)', () => {
    // TSNs 11, 13, 15: the even ones went to the bulk channel's stream.
    const stream = { reassembly: [chunk(11, WHOLE, 0, 'answer'), chunk(13, WHOLE, 1, 'cand-1'), chunk(15, WHOLE, 2, 'cand-2')], streamSequenceNumber: 0 };
    expect(texts(stream)).toEqual(['answer', 'cand-1', 'cand-2']);
    expect(stream).toEqual({ reassembly: [], streamSequenceNumber: 3 });
  });

  it('joins a fragmented message, and waits for a missing fragment without delivering what follows it', () => {
    const stream = {
      reassembly: [chunk(20, FIRST, 4, 'he'), chunk(21, 0, 4, 'll'), chunk(22, LAST, 4, 'o'), chunk(30, FIRST, 5, 'wo'), chunk(32, LAST, 5, 'ld'), chunk(40, WHOLE, 6, 'next')],
      streamSequenceNumber: 4,
    };
    expect(texts(stream)).toEqual(['hello']);
    // TSN 31 arrives: the rest goes, in order.
    stream.reassembly.splice(1, 0, chunk(31, 0, 5, 'r'));
    expect(texts(stream)).toEqual(['world', 'next']);
    expect(stream.streamSequenceNumber).toBe(7);
  });

  it('holds an ordered message until the one before it is complete', () => {
    const stream = { reassembly: [chunk(50, FIRST, 0, 'a'), chunk(53, WHOLE, 1, 'b')], streamSequenceNumber: 0 };
    expect(texts(stream)).toEqual([]);
    stream.reassembly.splice(1, 0, chunk(51, LAST, 0, 'A'));
    expect(texts(stream)).toEqual(['aA', 'b']);
  });

  it('delivers unordered messages as they complete, past an incomplete one', () => {
    const stream = { reassembly: [chunk(60, FIRST | UNORDERED, 0, 'x'), chunk(62, WHOLE | UNORDERED, 0, 'y'), chunk(63, LAST | UNORDERED, 0, 'z')], streamSequenceNumber: 0 };
    expect(texts(stream)).toEqual(['y']);
    expect(stream.reassembly.map((c) => c.tsn)).toEqual([60, 63]);
  });

  it('wraps the stream sequence number at 65535 and the TSN at 2^32 - 1', () => {
    const stream = { reassembly: [chunk(2 ** 32 - 1, FIRST, 65535, 'wr'), chunk(0, LAST, 65535, 'ap'), chunk(2, WHOLE, 0, 'after')], streamSequenceNumber: 65535 };
    expect(texts(stream)).toEqual(['wrap', 'after']);
    expect(stream.streamSequenceNumber).toBe(1);
  });
});

describe('the fix inside werift', () => {
  it('werift\'s own association, given interleaved chunks of one stream, hands every complete message on', async () => {
    const pc = new RTCPeerConnection({});
    pc.createDataChannel('p2pcheck', { negotiated: true, id: 0 });
    const sctp = pc.sctpTransport!.sctp as unknown as { getInboundStream(id: number): InboundStreamState & { addChunk(c: ReassemblyChunk): void; popMessages(): Iterable<[number, number, Buffer]> } };
    installSctpReassemblyFix(sctp);
    const stream = sctp.getInboundStream(0);
    for (const c of [chunk(11, WHOLE, 0, 'answer'), chunk(13, WHOLE, 1, 'cand-1'), chunk(15, WHOLE, 2, 'cand-2')]) stream.addChunk(c);
    expect([...stream.popMessages()].map(([, , d]) => d.toString())).toEqual(['answer', 'cand-1', 'cand-2']);
    await pc.close();
  });

  it('says so when werift\'s internals are not what it was written for', () => {
    expect(() => installSctpReassemblyFix({})).toThrow(/werift changed/);
  });
});
