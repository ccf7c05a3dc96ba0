// Which ICE region a page's own connections use: the region its "Check my network" ranks nearest, the one the NAT
// check and the relay check run against too. The room reads it from its diagnosis (it runs at once); a lobby ranks
// the regions here before its first link (its NAT check waits until the links have settled) and hands the same
// ranking to its "Check my network" (DiagnosisOptions.ranking), so links, NAT check and report name one region.
// The servers of a region come from iceServersForRegion (region-ranking.ts); null = the default servers (no
// ICE_REGIONS, no region answered, the ranking failed or is not known yet).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RegionChoice } from '../../common/ice-regions';
import type { ServerInfo } from '../../common/messages';
import { fetchApiJson } from '../errors/api-error';
import { measureRegions, stunUrlOf } from './region-ranking';
import type { PcFactory } from './peer-tests';

/** How long a connection waits for the ranking before it takes the default servers. The ranking itself is bounded
 *  (REGION_SAMPLE_DEADLINE_MS per sample, regions side by side): well under a second when the regions answer. */
export const REGION_WAIT_MS = 5000;

/** The one pick: the region a ranking chose (the nearest that answered), or null: the default servers. Pure. */
export function usedRegion(choice: RegionChoice | null | undefined): string | null {
  return choice?.used ?? null;
}

export interface ConnectionRegionState {
  /** The ranking is known (or there is none: choice null). */
  known: boolean;
  choice: RegionChoice | null;
}

export interface ConnectionRegion {
  /** What the page shows (ConnectionRegionPanel). */
  readonly store: StoreApi<ConnectionRegionState>;
  /** Settles once with the ranking (null: none); for "Check my network" (DiagnosisOptions.ranking). */
  readonly ranking: Promise<RegionChoice | null>;
  /** The region to use now (null before the ranking is known). */
  current(): string | null;
  /** The region once the ranking is known, or after waitMs (then the default servers: null). */
  settled(): Promise<string | null>;
}

/** Starts ranking the server's regions (none without ICE_REGIONS: no measurement at all). `rank: false` (the
 *  headless peer, which has no browser to measure with) uses the default servers. */
export function startConnectionRegion(opts: {
  rank: boolean;
  fetchConfig?: () => Promise<ServerInfo>;
  factory?: PcFactory;
  /** One STUN round-trip sample (tests; default: sampleStunRtt with `factory`). */
  sample?: (stunUrl: string) => Promise<number | null>;
  waitMs?: number;
}): ConnectionRegion {
  const store = createStore<ConnectionRegionState>(() => ({ known: false, choice: null }));
  const fetchConfig = opts.fetchConfig ?? (() => fetchApiJson<ServerInfo>('config', '/api/config', { cache: 'no-store' }));
  const measure = async (): Promise<RegionChoice | null> => {
    if (!opts.rank) return null;
    const info = await fetchConfig();
    if (!info.regions?.length) return null;
    return measureRegions(info.regions.map((x) => ({ id: x.id, name: x.name, stunUrl: stunUrlOf(x) })), { factory: opts.factory, sample: opts.sample });
  };
  const ranking = measure()
    .catch(() => null)
    .then((choice) => {
      store.setState({ known: true, choice });
      return choice;
    });
  return {
    store,
    ranking,
    current: () => usedRegion(store.getState().choice),
    async settled() {
      if (!store.getState().known) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([ranking, new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.waitMs ?? REGION_WAIT_MS)))]);
        clearTimeout(timer);
      }
      return usedRegion(store.getState().choice);
    },
  };
}
