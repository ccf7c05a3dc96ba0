// werift 0.25's SCTP hands at most one message of a stream to the data channel per arriving chunk of that stream
// (werift-webrtc issue #706, open). After it delivered a message, its reassembly loop keeps the delivered message's
// start and expects the next chunk to follow that message's last TSN; when another stream's chunks were interleaved
// in between — any time two channels carry data, as the link test's bulk channel and the control channel do — the
// loop stops. The next complete message then waits for the next chunk of its own stream, and when none comes (the
// page answered the relay check's offer and went quiet on that channel) it is never delivered: the headless peer's
// relay check then said "the other side sent no relay candidate" under CPU load, with the page's answer stranded.
//
// `popCompleteMessages` is that loop as RFC 4960 §6.5/§6.9 wants it: every message whose fragments are all there
// (consecutive TSNs from FIRST to LAST), in stream-sequence order for ordered streams, any order for unordered ones.
// `installSctpReassemblyFix` puts it in place of werift's, from an SCTP association werift made.

const LAST_FRAG = 0x01;
const FIRST_FRAG = 0x02;
const UNORDERED = 0x04;

export interface ReassemblyChunk {
  tsn: number;
  flags: number;
  streamId: number;
  streamSeqNum: number;
  protocol: number;
  userData: Buffer;
}

/** One inbound stream's state, as werift keeps it: chunks sorted by TSN, and the next stream sequence number. */
export interface InboundStreamState {
  reassembly: ReassemblyChunk[];
  streamSequenceNumber: number;
}

const tsnPlusOne = (tsn: number) => (tsn + 1) % 2 ** 32;
/** RFC 1982 serial-number comparison of 16-bit stream sequence numbers: a is after b. */
const ssnAfter = (a: number, b: number) => a !== b && ((a - b) & 0xffff) < 0x8000;

/** Removes every complete, deliverable message from `stream` and yields it as [streamId, ppid, payload]. */
export function* popCompleteMessages(stream: InboundStreamState): Generator<[number, number, Buffer]> {
  let pos = 0;
  let start: number | null = null;
  let expectedTsn = 0;
  let ordered = true;
  while (pos < stream.reassembly.length) {
    const chunk = stream.reassembly[pos]!;
    if (start === null) {
      ordered = (chunk.flags & UNORDERED) === 0;
      if ((chunk.flags & FIRST_FRAG) === 0) {
        // A middle or last fragment whose first is missing: an ordered stream waits; an unordered one looks further.
        if (ordered) break;
        pos++;
        continue;
      }
      // An ordered message is delivered only in its turn.
      if (ordered && ssnAfter(chunk.streamSeqNum, stream.streamSequenceNumber)) break;
      start = pos;
      expectedTsn = chunk.tsn;
    } else if (chunk.tsn !== expectedTsn) {
      // A fragment is missing inside this message.
      if (ordered) break;
      start = null;
      continue; // this chunk may begin another unordered message
    }
    if (chunk.flags & LAST_FRAG) {
      const parts = stream.reassembly.splice(start, pos + 1 - start);
      if (ordered && chunk.streamSeqNum === stream.streamSequenceNumber) stream.streamSequenceNumber = (stream.streamSequenceNumber + 1) & 0xffff;
      pos = start;
      start = null;
      yield [chunk.streamId, chunk.protocol, Buffer.concat(parts.map((p) => p.userData))];
      continue;
    }
    pos++;
    expectedTsn = tsnPlusOne(expectedTsn);
  }
}

type SctpInternals = { getInboundStream(streamId: number): InboundStreamState };
const patched = new WeakSet<object>();

/** Replaces werift's popMessages on the InboundStream class of this association (werift does not export the class;
 *  its SCTP hands out instances). Once per class; throws when werift's internals are not what this was written for. */
export function installSctpReassemblyFix(sctp: unknown): void {
  const proto: Partial<SctpInternals> | null = typeof sctp === 'object' && sctp !== null ? (Object.getPrototypeOf(sctp) as Partial<SctpInternals>) : null;
  const getInboundStream = proto?.getInboundStream;
  if (!proto || typeof getInboundStream !== 'function') throw new Error('werift changed: SCTP.getInboundStream is gone (see cli/peer/werift-sctp-reassembly.ts)');
  if (patched.has(proto)) return;
  patched.add(proto);
  proto.getInboundStream = function (this: SctpInternals, streamId: number) {
    const stream = getInboundStream.call(this, streamId);
    const streamProto = Object.getPrototypeOf(stream) as { popMessages?: unknown } | null;
    if (streamProto && !patched.has(streamProto)) {
      if (typeof streamProto.popMessages !== 'function' || !Array.isArray(stream.reassembly) || typeof stream.streamSequenceNumber !== 'number') {
        throw new Error('werift changed: InboundStream.popMessages is gone (see cli/peer/werift-sctp-reassembly.ts)');
      }
      patched.add(streamProto);
      streamProto.popMessages = function (this: InboundStreamState) {
        return popCompleteMessages(this);
      };
    }
    return stream;
  };
}
