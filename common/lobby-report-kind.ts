// Telling the two kinds of saved report apart, without the schemas (so the first-load page can ask cheaply).
import type { LobbyReport } from './lobby-report';
import type { ConnectivityReport } from './report';

/** A saved report of either kind: a lobby's, or a two-person room's (no `kind`). */
export type SavedReportBody = LobbyReport | ConnectivityReport;

export const isLobbyReport = (r: SavedReportBody | { kind?: unknown }): r is LobbyReport => (r as { kind?: unknown }).kind === 'lobby';
