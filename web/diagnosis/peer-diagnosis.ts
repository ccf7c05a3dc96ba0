// The other peer's "Check my network" result arrives as untrusted JSON (peer-info). Only its measured facts are
// kept, checked with a schema; the verdict, advice and compatibility table are rebuilt here from those facts,
// so a peer can neither crash the report with odd shapes nor put its own words into it.
import { z } from 'zod';
import { DIAGNOSIS_VERSION, type DiagnosisResult } from '../../common/nat/diagnosis-result';
import { natVerdict } from '../../common/nat/nat-verdict';
import { compatibilityTable } from '../../common/nat/path-prediction';

const text = z.string().max(500);
const role = z.enum(['primary', 'alt-port', 'alt-ip', 'alt-ip-port']);
const hostPort = z.object({ address: z.string().max(100), port: z.number().int().min(0).max(65535) });
const ms = z.number().finite().min(0).max(3_600_000).nullable();

const schema = z.object({
  version: z.literal(DIAGNOSIS_VERSION),
  startedAt: z.number().finite(),
  verdictMs: ms,
  state: z.enum(['running', 'done', 'error']),
  servers: z.enum(['bundled', 'custom']),
  reachability: z.object({
    udp: z.enum(['answered', 'no-answer', 'not-tested']),
    udpMs: ms,
    tcpRelay: z.enum(['ok', 'failed', 'not-tested']),
    tlsRelay: z.enum(['ok', 'failed', 'not-configured', 'not-tested']),
    ipv6: z.enum(['reached', 'gathered-only', 'none', 'not-tested']),
  }),
  hostAddresses: z.array(z.string().max(100)).max(20),
  mappedAddress: hostPort.nullable(),
  publicAddress: z.enum(['yes', 'no', 'unknown']),
  mapping: z.object({
    observations: z.array(z.object({ role, url: z.string().max(300), mapped: hostPort.nullable(), inferred: z.boolean() })).max(4),
    result: z.object({ behavior: z.enum(['EIM', 'ADM', 'APDM', 'EIM-or-ADM', 'ADM-or-APDM', 'not-determined']), evidence: text }),
  }),
  filtering: z.object({
    observations: z.array(z.object({ role, answered: z.boolean(), sent: z.number().int().min(0).max(100), rttMs: ms })).max(4),
    result: z.object({ behavior: z.enum(['EIF', 'ADF', 'APDF', 'EIF-or-ADF', 'ADF-or-APDF', 'not-determined']), evidence: text }),
  }),
  skipped: z.array(z.object({ test: z.enum(['mapping', 'filtering', 'udp', 'tcp-relay', 'tls-relay', 'ipv6']), reason: text })).max(10),
  error: text.nullable(),
});

/** The other peer's diagnosis from its peer-info, or null when absent, unfinished or not shaped like one. */
export function readPeerDiagnosis(info: Record<string, unknown>): DiagnosisResult | null {
  const parsed = schema.safeParse(info.diagnosis);
  if (!parsed.success || parsed.data.state === 'running') return null;
  const d = parsed.data;
  const verdict = natVerdict({
    udp: d.reachability.udp,
    tcpRelay: d.reachability.tcpRelay,
    publicAddress: d.publicAddress,
    mapping: d.mapping.result,
    filtering: d.filtering.result,
  });
  // Their ICE error texts are not carried over: the fixes shown are for this page's own servers.
  return { ...d, verdict, compatibility: compatibilityTable(verdict.behavior), iceErrors: [], timeline: [] };
}
