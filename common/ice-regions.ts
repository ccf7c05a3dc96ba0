// ICE regions: a fleet of TURN/STUN servers, each with its own probe peer, that the page ranks by round trip and
// picks the nearest of. The one wire module for regions: what /api/config and /api/ice-servers say about them
// (signal/regions) and what "Check my network" records (web/diagnosis/region-ranking.ts). Without ICE_REGIONS
// none of these fields appear and the bundled server is the one region.
import { z } from 'zod';

/** One region as `/api/config` describes it (no credentials). */
export interface IceRegionInfo {
  /** Short stable key (`eu-west`); also the `region` recorded in reports. */
  id: string;
  /** What the page shows (`Frankfurt`). */
  name: string;
  /** The region's primary STUN endpoint: what the round trip is measured to and the NAT tests use. */
  primary: { host: string; port: number };
  /** RFC 5780 alternate port / address of the region's server, when it has them (mapping test). */
  alternatePort: number | null;
  alternateHost: string | null;
  /** Base URL of the region's probe peer API (`https://eu.example.org:9642`), or null: no filtering test there. */
  probe: string | null;
}

/** One region's ICE servers with a fresh credential, as `/api/ice-servers` hands them out. */
export interface IceRegionServers {
  id: string;
  iceServers: { urls: string[]; username?: string; credential?: string }[];
}

/** The measured round trip to one region: median of the samples that were answered; null when none was. */
export interface RegionRtt {
  id: string;
  name: string;
  rttMs: number | null;
  /** Each sample in ms (null = no answer within the deadline). */
  samples: (number | null)[];
}

/** Recorded in the diagnosis (and so in the report): the ranking, nearest first, and the region the tests used. */
export interface RegionChoice {
  ranking: RegionRtt[];
  /** id of the region the NAT check and the relay test ran against; null when none answered. */
  used: string | null;
  /** How the RTT was measured, in words (it belongs to the figures). */
  method: string;
}

const regionRttSchema = z.object({
  id: z.string().max(64),
  name: z.string().max(128),
  rttMs: z.number().nonnegative().nullable(),
  samples: z.array(z.number().nonnegative().nullable()).max(16),
});

export const regionChoiceSchema = z.object({
  ranking: z.array(regionRttSchema).max(64),
  used: z.string().max(64).nullable(),
  method: z.string().max(300),
});
