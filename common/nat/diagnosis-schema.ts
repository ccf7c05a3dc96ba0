// The measured facts of a "Check my network" result as they cross the wire to the other peer (peer-info
// `{ diagnosis }`): checked by the signaling relay before it relays them and by the receiving page before it
// reads them. Only facts are kept (unknown keys are dropped); the verdict, advice and compatibility table are
// rebuilt by the receiver, so a peer can put neither odd shapes nor its own words into the other's report.
// Bounds are generous for real devices (many interfaces, long error texts) and small next to MAX_MESSAGE_BYTES.
import { z } from 'zod';
import { regionChoiceSchema } from '../ice-regions';
import { DIAGNOSIS_VERSION } from './diagnosis-result';

const text = z.string().max(2000);
const address = z.string().max(100);
const role = z.enum(['primary', 'alt-port', 'alt-ip', 'alt-ip-port']);
const port = z.number().int().min(0).max(65535);
const hostPort = z.object({ address, port });
const ms = z.number().finite().min(0).max(3_600_000).nullable();

export const diagnosisWireSchema = z.object({
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
    // Added after version 1 shipped: absent from older pages' results.
    tcpRelayPort: port.nullable().default(null),
    tlsRelayPort: port.nullable().default(null),
    reasons: z
      .object({ udp: text.nullable(), tcpRelay: text.nullable(), tlsRelay: text.nullable(), ipv6: text.nullable() })
      .default({ udp: null, tcpRelay: null, tlsRelay: null, ipv6: null }),
  }),
  hostAddresses: z.array(address).max(64),
  // Added after version 1 shipped: the STUN server address the tests used (a loopback one means the same machine).
  serverAddress: address.nullable().default(null),
  mappedAddress: hostPort.nullable(),
  publicAddress: z.enum(['yes', 'no', 'unknown']),
  mapping: z.object({
    observations: z.array(z.object({ role, url: z.string().max(512), mapped: hostPort.nullable(), inferred: z.boolean() })).max(4),
    result: z.object({ behavior: z.enum(['EIM', 'ADM', 'APDM', 'EIM-or-ADM', 'ADM-or-APDM', 'not-determined']), evidence: text }),
  }),
  // Added after version 1 shipped (absent from older pages' results): the hairpinning test.
  hairpin: z
    .object({ result: z.enum(['works', 'fails', 'not-applicable', 'not-tested']), evidence: text, ms })
    .default({ result: 'not-tested', evidence: 'not run by this peer\u2019s version of the page', ms: null }),
  filtering: z.object({
    observations: z.array(z.object({ role, answered: z.boolean(), sent: z.number().int().min(0).max(100), rttMs: ms })).max(4),
    result: z.object({ behavior: z.enum(['EIF', 'ADF', 'APDF', 'EIF-or-ADF', 'ADF-or-APDF', 'not-determined']), evidence: text }),
  }),
  skipped: z.array(z.object({ test: z.enum(['mapping', 'filtering', 'udp', 'tcp-relay', 'tls-relay', 'ipv6']), reason: text })).max(10),
  error: text.nullable(),
  regions: regionChoiceSchema.nullish(),
});
export type DiagnosisWire = z.infer<typeof diagnosisWireSchema>;
