// The other peer's "Check my network" result arrives as peer-info `{ diagnosis }`. Only its measured facts are
// kept (common/nat/diagnosis-schema.ts — the relay checks the same schema); the verdict, advice and compatibility
// table are rebuilt here from those facts, so a peer can neither crash the report with odd shapes nor put its own
// words into it.
import { verdictFacts, type DiagnosisResult } from '../../common/nat/diagnosis-result';
import { diagnosisWireSchema } from '../../common/nat/diagnosis-schema';
import { natVerdict } from '../../common/nat/nat-verdict';
import { compatibilityTable } from '../../common/nat/path-prediction';

/** The other peer's diagnosis from its peer-info, or null when absent, unfinished or not shaped like one. */
export function readPeerDiagnosis(info: { diagnosis?: unknown }): DiagnosisResult | null {
  const parsed = diagnosisWireSchema.safeParse(info.diagnosis);
  if (!parsed.success || parsed.data.state === 'running') return null;
  const d = parsed.data;
  const verdict = natVerdict(verdictFacts(d));
  // Their ICE error texts are not carried over: the fixes shown are for this page's own servers.
  return { ...d, verdict, compatibility: compatibilityTable(verdict.behavior), iceErrors: [], timeline: [] };
}
