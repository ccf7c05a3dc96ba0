// What the page records about ICE as it happens, beyond what the report already holds (candidates with their
// gathering time, icecandidateerror in `errors`, selected-pair changes in `selectedPairHistory`): each
// candidate pair's state changes (seen by polling getStats, so to the poll interval) and the transport
// milestones. The ICE timeline (web/timeline/ice-timeline.ts) is built from these plus the rest of the report.

export type IceEvent =
  | {
      /** ms since the test started. */
      at: number;
      kind: 'pair';
      pairId: string;
      /** "host 10.0.0.2:5000" style descriptions of both ends. */
      local: string;
      remote: string;
      state: string;
      /** The state seen before, null the first time this pair appeared. */
      from: string | null;
    }
  | { at: number; kind: 'ice'; state: string }
  | { at: number; kind: 'connection'; state: string }
  | { at: number; kind: 'dtls'; state: string }
  | { at: number; kind: 'gathering'; state: string }
  | { at: number; kind: 'channel-open'; label: string };

export const MAX_ICE_EVENTS = 1000;
