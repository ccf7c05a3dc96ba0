// Runtime check of a ConnectivityReport (common/report.ts) arriving from outside: a report POSTed to be saved,
// a link-test result sent by the other peer. Strict in what is kept: fields this schema does not name are
// dropped (so nothing unchecked is ever stored or shown), every string and array is bounded, so a saved report
// stays small whatever is sent. A test (report-schema.test.ts) parses a report with every optional part filled
// and checks nothing the page writes is lost.
import { z } from 'zod';
import { callTestSchema } from './call-report';
import { DIAGNOSIS_VERSION } from './nat/diagnosis-result';
import { diagnosisWireSchema } from './nat/diagnosis-schema';
import { FILTERING_LABELS, MAPPING_LABELS, type FilteringBehavior, type MappingBehavior } from './nat/nat-behavior';
import { NAT_KIND_LABELS, type NatKind } from './nat/nat-verdict';
import { PREDICTED_PATH_LABELS, type PredictedPath } from './nat/path-prediction';

const str = (max = 512) => z.string().max(max);
const num = z.number();
const at = num.nullable();

export const candidateSchema = z.object({
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

const pairSchema = z.object({
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

const throughput = z.object({ bps: num.min(0).nullable(), bytes: num.min(0), durationMs: num.min(0), series: z.array(z.object({ at: num, bps: num })).max(1000) });
const stream = z.object({ sent: num, received: num, lossRatio: num.min(0).max(1), jitterMs: num.nullable(), reordered: num });
const rtt = z.object({ count: num, lost: num, medianMs: num.nullable(), p90Ms: num.nullable() });
const phase = z.enum(['idle-rtt', 'upload', 'download', 'stream']);

export const linkQualitySchema = z.object({
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
  bufferbloat: z.object({ idleMs: num.nullable(), loadedMs: num.nullable(), addedMs: num.nullable(), grade: str(4).nullable() }).nullable(),
  verdict: z.object({ level: z.enum(['hd-video', 'sd-video', 'audio', 'unusable']), label: str(100), limits: z.array(str(500)).max(20), mos: num.nullable() }).nullable(),
  notMeasured: z.array(phase).max(4),
});

const iceEventSchema = z.discriminatedUnion('kind', [
  z.object({ at: num, kind: z.literal('pair'), pairId: str(256), local: str(300), remote: str(300), state: str(32), from: str(32).nullable() }),
  z.object({ at: num, kind: z.enum(['ice', 'connection', 'dtls', 'gathering']), state: str(32) }),
  z.object({ at: num, kind: z.literal('channel-open'), label: str(100) }),
]);


const keysOf = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as [K, ...K[]];
const natKind = z.enum(keysOf<NatKind>(NAT_KIND_LABELS));
const mappingBehavior = z.enum(keysOf<MappingBehavior>(MAPPING_LABELS));
const filteringBehavior = z.enum(keysOf<FilteringBehavior>(FILTERING_LABELS));
const predictedPath = z.enum(keysOf<PredictedPath>(PREDICTED_PATH_LABELS));
const pathPrediction = z.object({ path: predictedPath, reason: str(1000) });

const natVerdictSchema = z.object({
  kind: natKind,
  label: str(200),
  certain: z.boolean(),
  explanation: str(2000),
  advice: z.array(str(1000)).max(20),
  caveats: z.array(str(1000)).max(20),
  mapping: z.object({ behavior: mappingBehavior, label: str(200), evidence: str(2000) }),
  filtering: z.object({ behavior: filteringBehavior, label: str(200), evidence: str(2000) }),
  ipv6: z.object({ state: z.enum(['open', 'firewalled', 'public', 'none', 'unknown']), label: str(200), explanation: str(2000) }).optional(),
  hairpin: z.object({ state: z.enum(['works', 'fails', 'not-applicable', 'not-tested']), label: str(500) }).optional(),
  behavior: z.object({
    udp: z.enum(['yes', 'no', 'unknown']),
    tcpRelay: z.enum(['ok', 'failed', 'not-tested']),
    tlsRelay: z.enum(['ok', 'failed', 'not-configured', 'not-tested']).optional(),
    ipv6: z.enum(['yes', 'no', 'unknown']).optional(),
    hairpin: z.enum(['yes', 'no', 'unknown']).optional(),
    mappings: z.array(z.enum(['EIM', 'ADM', 'APDM'])).max(3),
    filterings: z.array(z.enum(['EIF', 'ADF', 'APDF'])).max(3),
  }),
});

/** A "Check my network" result as the report holds it: the measured facts (as on the wire) and what was built from them. */
export const diagnosisResultSchema = diagnosisWireSchema.extend({
  version: z.literal(DIAGNOSIS_VERSION),
  verdict: natVerdictSchema.nullable(),
  compatibility: z.array(z.object({ peer: str(64), label: str(200), prediction: pathPrediction })).max(20),
  iceErrors: z.array(z.object({ url: str(1024), code: num, text: str(1000), meaning: str(2000), fix: str(2000) })).max(50),
  timeline: z.array(z.object({ at: num, step: str(200) })).max(200),
});

const roomDiagnosisSchema = z.object({
  local: diagnosisResultSchema.nullable(),
  remote: diagnosisResultSchema.nullable(),
  prediction: z
    .object({
      prediction: pathPrediction,
      predictedLabel: str(200),
      actual: pathKind.nullable(),
      actualLabel: str(200).nullable(),
      check: z.enum(['agree', 'disagree', 'no-prediction', 'no-path']).nullable(),
      note: str(2000).nullable(),
    })
    .nullable(),
});

export const reportSchema = z.object({
  version: z.literal(1),
  roomId: str(64),
  createdAt: num,
  startedAt: num.nullable().optional(),
  relayOnly: z.boolean(),
  peerState: z.enum(['waiting', 'connecting', 'connected', 'disconnected', 'failed', 'peer-left']),
  path: z.object({ kind: pathKind, label: str(100), settled: z.boolean(), settleMs: num, asymmetry: str(1000).nullable().optional() }),
  selectedPair: z.object({ local: candidateSchema, remote: candidateSchema, currentRtt: num.nullable() }).nullable(),
  selectedPairHistory: z.array(z.object({ at: num, localType: candidateType, remoteType: candidateType, local: str(300), remote: str(300), path: pathKind })).max(500),
  localCandidates: z.array(candidateSchema).max(500),
  remoteCandidates: z.array(candidateSchema).max(500),
  pairs: z.array(pairSchema).max(2000),
  rtt: z.object({ samples: z.array(z.object({ at: num, rtt: num })).max(5000), min: num.nullable(), avg: num.nullable(), max: num.nullable() }),
  timings: z.object({ peerJoined: at, firstCandidate: at, connected: at, pathSettled: at }),
  iceServers: z.array(z.object({ urls: z.array(str(1024)).max(20) })).max(20),
  errors: z.array(z.object({ at: num, source: str(64), code: z.union([num, str(64)]).nullable(), message: str(2000) })).max(500),
  diagnosis: roomDiagnosisSchema.optional(),
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
  call: callTestSchema.nullable().optional(),
  redacted: z.boolean().optional(),
});
