// Runtime check of a ConnectivityReport (common/report.ts) arriving from outside: a report POSTed to be saved,
// a link-test result sent by the other peer. Objects are "loose" so a newer page's extra fields survive;
// every array and string is bounded so a saved report stays small.
import { z } from 'zod';

const str = (max = 512) => z.string().max(max);
const num = z.number();
const at = num.nullable();

export const candidateSchema = z.looseObject({
  id: str(256),
  type: z.enum(['host', 'srflx', 'prflx', 'relay']),
  protocol: z.enum(['udp', 'tcp']),
  address: str(256).nullable(),
  port: num.nullable(),
  priority: num.nullable(),
  relayProtocol: str(16).nullable(),
  url: str(1024).nullable(),
  at,
});

const pairSchema = z.looseObject({
  id: str(256),
  localId: str(256),
  remoteId: str(256),
  state: str(32),
  nominated: z.boolean(),
  requestsSent: num,
  responsesReceived: num,
  currentRtt: num.nullable(),
  bytesSent: num,
  bytesReceived: num,
});

const pathKind = z.enum(['direct-lan', 'direct-public', 'p2p-nat', 'relay-udp', 'relay-tcp', 'relay-tls', 'none']);
const candidateType = z.enum(['host', 'srflx', 'prflx', 'relay']);

const throughput = z.looseObject({ bps: num.min(0).nullable(), bytes: num.min(0), durationMs: num.min(0), series: z.array(z.looseObject({ at: num, bps: num })).max(1000) });
const stream = z.looseObject({ sent: num, received: num, lossRatio: num.min(0).max(1), jitterMs: num.nullable(), reordered: num });
const rtt = z.looseObject({ count: num, lost: num, medianMs: num.nullable(), p90Ms: num.nullable() });
const phase = z.enum(['idle-rtt', 'upload', 'download', 'stream']);

export const linkQualitySchema = z.looseObject({
  version: z.literal(1),
  status: z.enum(['done', 'partial', 'skipped']),
  reason: str(1000).nullable(),
  startedAt: at,
  finishedAt: at,
  upload: throughput.nullable(),
  download: throughput.nullable(),
  streamOut: stream.nullable(),
  streamIn: stream.nullable(),
  rttIdle: rtt.nullable(),
  rttLoadedUp: rtt.nullable(),
  rttLoadedDown: rtt.nullable(),
  bufferbloat: z.looseObject({ idleMs: num.nullable(), loadedMs: num.nullable(), addedMs: num.nullable(), grade: str(4).nullable() }).nullable(),
  verdict: z.looseObject({ level: z.enum(['hd-video', 'sd-video', 'audio', 'unusable']), label: str(100), limits: z.array(str(500)).max(20), mos: num.nullable() }).nullable(),
  notMeasured: z.array(phase).max(4),
});

const iceEventSchema = z.discriminatedUnion('kind', [
  z.looseObject({ at: num, kind: z.literal('pair'), pairId: str(256), local: str(300), remote: str(300), state: str(32), from: str(32).nullable() }),
  z.looseObject({ at: num, kind: z.enum(['ice', 'connection', 'dtls', 'gathering']), state: str(32) }),
  z.looseObject({ at: num, kind: z.literal('channel-open'), label: str(100) }),
]);

export const reportSchema = z.looseObject({
  version: z.literal(1),
  roomId: str(64),
  createdAt: num,
  startedAt: num.nullable().optional(),
  relayOnly: z.boolean(),
  peerState: z.enum(['waiting', 'connecting', 'connected', 'disconnected', 'failed', 'peer-left']),
  path: z.looseObject({ kind: pathKind, label: str(100), settled: z.boolean(), settleMs: num }),
  selectedPair: z.looseObject({ local: candidateSchema, remote: candidateSchema, currentRtt: num.nullable() }).nullable(),
  selectedPairHistory: z.array(z.looseObject({ at: num, localType: candidateType, remoteType: candidateType, local: str(300), remote: str(300), path: pathKind })).max(500),
  localCandidates: z.array(candidateSchema).max(500),
  remoteCandidates: z.array(candidateSchema).max(500),
  pairs: z.array(pairSchema).max(2000),
  rtt: z.looseObject({ samples: z.array(z.looseObject({ at: num, rtt: num })).max(5000), min: num.nullable(), avg: num.nullable(), max: num.nullable() }),
  timings: z.looseObject({ peerJoined: at, firstCandidate: at, connected: at, pathSettled: at }),
  iceServers: z.array(z.looseObject({ urls: z.array(str(1024)).max(20) })).max(20),
  errors: z.array(z.looseObject({ at: num, source: str(64), code: z.union([num, str(64)]).nullable(), message: str(2000) })).max(500),
  quality: linkQualitySchema.nullable().optional(),
  iceEvents: z.array(iceEventSchema).max(2000).optional(),
  relayCheck: z
    .looseObject({
      state: z.enum(['running', 'works', 'failed', 'skipped']),
      startedAt: num.nullable(),
      connectMs: num.nullable(),
      rttMs: num.nullable(),
      throughputBps: num.nullable().optional(),
      path: pathKind.nullable(),
      reason: str(1000).nullable(),
    })
    .nullable()
    .optional(),
});
