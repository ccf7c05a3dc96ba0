// Ranks the ICE regions (ICE_REGIONS) by round trip, nearest first. One sample = one throwaway PeerConnection with
// only that region's STUN URL: the time from its first host candidate (the socket is open and the Binding request
// goes out) to the server-reflexive candidate — or to the end of gathering, because Chromium does not report a
// srflx equal to a host address (a device with a public address) but still finishes gathering on the answer. A
// region that does not answer within the deadline gets no RTT and ranks last. Regions are sampled side by side,
// samples one after another; the RTT is the median of the answered samples.
import type { IceRegionInfo, RegionChoice, RegionRtt } from '../../common/ice-regions';
import type { IceServersResponse } from '../../common/messages';
import { median } from '../quality/sample-stats';
import { startGathering, type PcFactory } from './peer-tests';

export const REGION_SAMPLES = 3;
/** Per sample: a STUN server that has not answered by then is too far or unreachable for the tests. */
export const REGION_SAMPLE_DEADLINE_MS = 1500;

export const RANKING_METHOD = `median of ${REGION_SAMPLES} STUN Binding round trips per region (first host candidate to srflx candidate or end of gathering, one fresh RTCPeerConnection per sample)`;

export interface RegionToRank {
  id: string;
  name: string;
  /** The STUN URL the round trip is measured to. */
  stunUrl: string;
}

export function stunUrlOf(region: IceRegionInfo): string {
  const h = region.primary.host.includes(':') ? `[${region.primary.host}]` : region.primary.host;
  return `stun:${h}:${region.primary.port}`;
}

/** The ICE servers (with credential) of one region from /api/ice-servers: the default ones (the first region, or
 *  the bundled server) when no region is named; none when the response does not have the named region (its tests
 *  then say what did not answer). The one pick for "Check my network", the room's connection and its relay check. Pure. */
export function iceServersForRegion(ice: Pick<IceServersResponse, 'iceServers' | 'regions'>, regionId: string | null | undefined): IceServersResponse['iceServers'] {
  if (regionId == null) return ice.iceServers;
  return ice.regions?.find((x) => x.id === regionId)?.iceServers ?? [];
}

/** Nearest first; regions without an answer last, in configured order. Pure. */
export function rankRegions(measured: readonly RegionRtt[]): RegionRtt[] {
  return measured
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.rttMs ?? Infinity) - (b.r.rttMs ?? Infinity) || a.i - b.i)
    .map(({ r }) => r);
}

/** The ranking and its winner (null when no region answered). Pure. */
export function chooseRegion(measured: readonly RegionRtt[]): RegionChoice {
  const ranking = rankRegions(measured);
  return { ranking, used: ranking[0]?.rttMs != null ? ranking[0].id : null, method: RANKING_METHOD };
}

export function regionRtt(region: RegionToRank, samples: (number | null)[]): RegionRtt {
  const answered = samples.filter((s): s is number => s !== null);
  const m = median(answered);
  return { id: region.id, name: region.name, rttMs: m === null ? null : Math.round(m), samples: samples.map((s) => (s === null ? null : Math.round(s))) };
}

/** One sample: ms from the first host candidate to the STUN answer, or null when none came before the deadline. */
export async function sampleStunRtt(stunUrl: string, factory?: PcFactory, deadlineMs = REGION_SAMPLE_DEADLINE_MS, now = () => performance.now()): Promise<number | null> {
  const t0 = now();
  const g = await startGathering({ iceServers: [{ urls: stunUrl }] }, factory, now);
  try {
    await g.until((c) => c.type === 'srflx', deadlineMs);
    const firstHost = g.candidates.findIndex((c) => c.type === 'host');
    const start = firstHost >= 0 ? g.arrivedAt[firstHost]! : t0;
    const srflx = g.candidates.findIndex((c) => c.type === 'srflx');
    if (srflx >= 0) return Math.max(0, g.arrivedAt[srflx]! - start);
    // Only this region's STUN server is configured: an error is its failure; a clean end of gathering its answer.
    if (g.complete && g.errors.length === 0 && g.completedAt !== null) return Math.max(0, g.completedAt - start);
    return null;
  } finally {
    g.close();
  }
}

/** Measures every region (side by side, REGION_SAMPLES rounds) and returns the ranking with the nearest. */
export async function measureRegions(
  regions: readonly RegionToRank[],
  opts: { factory?: PcFactory; samples?: number; sample?: (url: string) => Promise<number | null> } = {},
): Promise<RegionChoice> {
  const sample = opts.sample ?? ((url: string) => sampleStunRtt(url, opts.factory));
  const samples = regions.map(() => [] as (number | null)[]);
  for (let round = 0; round < (opts.samples ?? REGION_SAMPLES); round++) {
    await Promise.all(
      regions.map(async (r, i) => {
        // A region that did not answer the first time is not asked again: each try costs the whole deadline.
        if (round > 0 && samples[i]![0] === null) return;
        samples[i]!.push(await sample(r.stunUrl).catch(() => null));
      }),
    );
  }
  return chooseRegion(regions.map((r, i) => regionRtt(r, samples[i]!)));
}
