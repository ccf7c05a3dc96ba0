// The lobby report: one JSON for a whole lobby — every member with its "Check my network" facts,
// every member's own view of its links, every cell of the matrix, and this page's own pairs' full reports in the
// two-person room's format (common/report.ts). Saved through /api/reports like a two-person report (same size,
// depth and address limits, same masking), told apart by `kind: 'lobby'` (a two-person report has no `kind`).
// Documented in docs/report-format.md ("The lobby report"). The schema is strict in what it keeps, like
// common/report-schema.ts: unknown fields are dropped, every string and array is bounded, and the ids a report
// refers to (selfId, cells, links, pairs) must be members of it, so a saved lobby report always renders.
import { z } from 'zod';
import { linkSummarySchema, LOBBY_CAPACITY, MAX_PEER_NAME, PEER_ID_PATTERN, pathKindSchema } from './messages';
import { diagnosisWireSchema } from './nat/diagnosis-schema';
import { PREDICTED_PATH_LABELS, type PredictedPath } from './nat/path-prediction';
import { reportSchema } from './report-schema';
import type { ConnectivityReport } from './report';

export const LOBBY_REPORT_VERSION = 1;
/** Members a lobby report may list: everyone present plus those who came and went (a lobby holds 8 at a time). */
export const LOBBY_REPORT_MAX_MEMBERS = 32;
const MAX_CELLS = (LOBBY_REPORT_MAX_MEMBERS * (LOBBY_REPORT_MAX_MEMBERS - 1)) / 2;

const peerId = z.string().regex(PEER_ID_PATTERN, 'peer id must be 1-64 URL-safe characters');
const at = z.number().finite();

export const lobbyMemberSchema = z.object({
  peerId,
  name: z.string().max(MAX_PEER_NAME),
  self: z.boolean(),
  /** ms since the saving page's lobby session started. */
  joinedAt: at,
  leftAt: at.nullable(),
  /** Its "Check my network" facts as it broadcast them (verdicts are rebuilt from these by whoever reads them). */
  diagnosis: diagnosisWireSchema.nullable(),
});

const predictedPath = z.enum(Object.keys(PREDICTED_PATH_LABELS) as [PredictedPath, ...PredictedPath[]]);

/** One pair of the matrix as the saving page saw it (derived from `members` and `links`; kept for readers of the JSON). */
export const lobbyCellSchema = z.object({
  a: peerId,
  b: peerId,
  state: z.enum(['connecting', 'connected', 'failed', 'left']),
  path: z.union([pathKindSchema, z.enum(['pending', 'failed'])]),
  rttMs: z.number().min(0).max(600_000).nullable(),
  agreement: z.enum(['agree', 'disagree', 'one-side', 'unknown']),
  predicted: predictedPath.nullable(),
  check: z.enum(['agree', 'disagree', 'no-prediction', 'no-path']).nullable(),
  mismatch: z.boolean(),
});

export const lobbyPairReportSchema = z.object({
  /** The other peer of this page's pair. */
  peerId,
  /** True when series were thinned to keep the lobby report under the save limit (rtt samples, ICE events). */
  trimmed: z.boolean(),
  report: reportSchema,
});

const linksSchema = z
  .record(peerId, z.record(peerId, linkSummarySchema))
  .refine((r) => Object.keys(r).length <= LOBBY_REPORT_MAX_MEMBERS && Object.values(r).every((x) => Object.keys(x).length < LOBBY_REPORT_MAX_MEMBERS), {
    message: `at most ${LOBBY_REPORT_MAX_MEMBERS} reporters with at most ${LOBBY_REPORT_MAX_MEMBERS - 1} links each`,
  });

export const lobbyReportSchema = z
  .object({
    kind: z.literal('lobby'),
    version: z.literal(LOBBY_REPORT_VERSION),
    roomId: z.string().max(64),
    /** When the saving page opened the lobby (epoch ms); every other time is ms since then. */
    createdAt: at,
    /** When the report was built (epoch ms). */
    savedAt: at,
    capacity: z.number().int().min(2).max(LOBBY_CAPACITY),
    /** The saving page's own peer id (null if it never joined). */
    selfId: peerId.nullable(),
    members: z.array(lobbyMemberSchema).max(LOBBY_REPORT_MAX_MEMBERS),
    /** links[reporter][other]: each member's own view of its link to another (signaling peer-info `links`). */
    links: linksSchema,
    cells: z.array(lobbyCellSchema).max(MAX_CELLS),
    /** The saving page's own pairs, each with the full two-person report. */
    pairs: z.array(lobbyPairReportSchema).max(LOBBY_CAPACITY - 1),
    /** Set on a saved copy: true when private addresses were masked (common/redact-report.ts). */
    redacted: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    const ids = new Set(r.members.map((m) => m.peerId));
    const unknown = (id: string | null, path: (string | number)[]) => {
      if (id !== null && !ids.has(id)) ctx.addIssue({ code: 'custom', path, message: `"${id}" is not a member of this lobby report` });
    };
    if (ids.size !== r.members.length) ctx.addIssue({ code: 'custom', path: ['members'], message: 'a peer id is listed twice' });
    unknown(r.selfId, ['selfId']);
    r.cells.forEach((c, i) => {
      unknown(c.a, ['cells', i, 'a']);
      unknown(c.b, ['cells', i, 'b']);
    });
    r.pairs.forEach((p, i) => unknown(p.peerId, ['pairs', i, 'peerId']));
    for (const [from, to] of Object.entries(r.links)) {
      unknown(from, ['links', from]);
      for (const other of Object.keys(to)) unknown(other, ['links', from, other]);
    }
  });

export type LobbyReportMember = z.infer<typeof lobbyMemberSchema>;
export type LobbyReportCell = z.infer<typeof lobbyCellSchema>;
export type LobbyReport = Omit<z.infer<typeof lobbyReportSchema>, 'pairs'> & {
  pairs: { peerId: string; trimmed: boolean; report: ConnectivityReport }[];
};
