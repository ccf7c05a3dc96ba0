// NAT mapping and filtering behavior (RFC 4787 §4.1/§5, RFC 5780 §4.3/§4.4) from what a browser and
// p2pcheck's probe observed. Pure: observations in, classification out. Shared by the page and the server.

import type { EndpointRole } from '../net/endpoint-role';
import { sameTransportAddress, type TransportAddress } from '../net/transport-address';

/**
 * Mapping test: what a STUN server endpoint reported as our address, for one local socket.
 * `mapped: null` = the endpoint was asked but did not answer. Endpoints the server does not have are left out.
 */
export interface MappingObservation {
  role: EndpointRole;
  mapped: TransportAddress | null;
}

/**
 * Filtering test: the probe sent a connectivity check from `role` to our mapped address;
 * `answered` = our browser's answer came back, i.e. the NAT let that source in.
 */
export interface FilteringObservation {
  role: EndpointRole;
  answered: boolean;
}

export type MappingBehavior =
  | 'EIM' // endpoint-independent: same mapping whatever the destination
  | 'ADM' // address-dependent: a new mapping per destination IP
  | 'APDM' // address-and-port-dependent: a new mapping per destination IP and port
  | 'EIM-or-ADM' // same mapping across a port change; no second server IP to test an address change
  | 'ADM-or-APDM' // the mapping changed with the address; the port change could not be tested
  | 'not-determined';

export type FilteringBehavior =
  | 'EIF' // anyone may send to the mapping
  | 'ADF' // only IPs we sent to
  | 'APDF' // only IP:port pairs we sent to
  | 'EIF-or-ADF' // a new port got in; no second server IP to test a new address
  | 'ADF-or-APDF' // a new address was kept out; a new port could not be tested
  | 'not-determined';

export interface MappingResult {
  behavior: MappingBehavior;
  /** One sentence saying what was seen (for the report). */
  evidence: string;
}

export interface FilteringResult {
  behavior: FilteringBehavior;
  evidence: string;
}

export const MAPPING_LABELS: Record<MappingBehavior, string> = {
  EIM: 'Endpoint-independent mapping',
  ADM: 'Address-dependent mapping',
  APDM: 'Address and port-dependent mapping',
  'EIM-or-ADM': 'Endpoint-independent or address-dependent mapping (server has one IP)',
  'ADM-or-APDM': 'Address-dependent or address and port-dependent mapping',
  'not-determined': 'Mapping not determined',
};

export const FILTERING_LABELS: Record<FilteringBehavior, string> = {
  EIF: 'Endpoint-independent filtering',
  ADF: 'Address-dependent filtering',
  APDF: 'Address and port-dependent filtering',
  'EIF-or-ADF': 'Endpoint-independent or address-dependent filtering (server has one IP)',
  'ADF-or-APDF': 'Address-dependent or address and port-dependent filtering',
  'not-determined': 'Filtering not determined',
};


type Comparison = 'same' | 'different' | 'unknown';

function compare(obs: readonly MappingObservation[], a: EndpointRole, b: EndpointRole): Comparison {
  const x = obs.find((o) => o.role === a)?.mapped;
  const y = obs.find((o) => o.role === b)?.mapped;
  if (!x || !y) return 'unknown';
  return sameTransportAddress(x, y) ? 'same' : 'different';
}

function merge(...cs: Comparison[]): Comparison {
  if (cs.includes('different')) return 'different';
  return cs.includes('same') ? 'same' : 'unknown';
}

/**
 * RFC 5780 §4.3, generalised to whichever endpoints answered: a changed mapping after a change of port alone
 * means APDM; after a change of address (same port) means at least ADM; unchanged after an address change
 * means EIM (test II); unchanged after a port change alone cannot tell EIM from ADM.
 */
export function classifyMapping(observations: readonly MappingObservation[]): MappingResult {
  const primary = observations.find((o) => o.role === 'primary');
  if (!primary) return { behavior: 'not-determined', evidence: 'the primary STUN endpoint was not asked' };
  if (!primary.mapped) return { behavior: 'not-determined', evidence: 'the primary STUN endpoint did not answer' };
  const portChange = merge(compare(observations, 'primary', 'alt-port'), compare(observations, 'alt-ip', 'alt-ip-port'));
  // A change of address (with or without a port change) must keep an EIM mapping and change any other one.
  const addressChange = merge(
    compare(observations, 'primary', 'alt-ip'),
    compare(observations, 'alt-port', 'alt-ip-port'),
    compare(observations, 'primary', 'alt-ip-port'),
    compare(observations, 'alt-port', 'alt-ip'),
  );
  const answered = observations.filter((o) => o.mapped).map((o) => o.role);
  const seen = `answers from ${answered.join(', ')}`;
  if (portChange === 'different') {
    return { behavior: 'APDM', evidence: `the mapped port changed when only the server port changed (${seen})` };
  }
  if (addressChange === 'different') {
    if (portChange === 'same') return { behavior: 'ADM', evidence: `the mapping changed with the server address but not with its port (${seen})` };
    return { behavior: 'ADM-or-APDM', evidence: `the mapping changed with the server address; no answer to test a port change (${seen})` };
  }
  if (addressChange === 'same') {
    return { behavior: 'EIM', evidence: `the same mapped address and port from every server address and port that answered (${seen})` };
  }
  if (portChange === 'same') {
    const hasAltIp = observations.some((o) => o.role === 'alt-ip' || o.role === 'alt-ip-port');
    return {
      behavior: 'EIM-or-ADM',
      evidence: hasAltIp
        ? `the same mapping across a port change; the second server address did not answer (${seen})`
        : 'the same mapping across a port change; the server has a single IP address, so an address change could not be tested',
    };
  }
  return { behavior: 'not-determined', evidence: `no second endpoint answered to compare with (${seen})` };
}

/**
 * The same question when the browser does not say which server reported which address (Firefox sets no `url`
 * on server-reflexive candidates): only the number of distinct mapped addresses one local socket got from the
 * endpoints it asked is known. An EIM NAT gives one mapping for all, an ADM NAT at most one per server IP, so
 * more distinct mappings than server IPs prove a port-dependent mapping whoever answered; fewer need every
 * endpoint to have answered (`allAnswered`) to mean anything.
 */
export function classifyMappingByCount(asked: readonly { role: EndpointRole; host: string }[], distinct: number, allAnswered: boolean): MappingResult {
  const ips = new Set(asked.map((a) => a.host)).size;
  const seen = `${distinct} different mapped address${distinct === 1 ? '' : 'es'} from one local socket towards ${asked.length} server endpoints on ${ips} address${ips === 1 ? '' : 'es'}`;
  if (distinct > ips) return { behavior: 'APDM', evidence: `${seen}: the mapping changed with the server port alone` };
  if (!allAnswered || distinct === 0) return { behavior: 'not-determined', evidence: `${seen}, and not every endpoint is known to have answered` };
  if (distinct === 1) {
    if (ips >= 2) return { behavior: 'EIM', evidence: `${seen}: the same mapping whatever the destination` };
    return asked.length >= 2
      ? { behavior: 'EIM-or-ADM', evidence: `${seen}: the same mapping across a port change; the server has a single IP address, so an address change could not be tested` }
      : { behavior: 'not-determined', evidence: `${seen}: nothing to compare with` };
  }
  // 1 < distinct <= ips: one mapping per server address.
  return asked.length > ips
    ? { behavior: 'ADM', evidence: `${seen}: one mapping per server address, unchanged by a port change` }
    : { behavior: 'ADM-or-APDM', evidence: `${seen}: the mapping changed with the server address; a port change was not tested` };
}

/**
 * RFC 5780 §4.4: the check from the primary endpoint (which the browser contacted) is the control — without
 * its answer nothing can be concluded. An answer from a new IP means EIF; from the same IP and a new port only
 * (new IP kept out) ADF; nothing from a new port APDF.
 */
export function classifyFiltering(observations: readonly FilteringObservation[]): FilteringResult {
  const get = (role: EndpointRole) => observations.find((o) => o.role === role);
  const primary = get('primary');
  if (!primary) return { behavior: 'not-determined', evidence: 'the probe did not send its control check from the primary endpoint' };
  if (!primary.answered) {
    return { behavior: 'not-determined', evidence: 'not even the control check from the address the browser contacted was answered' };
  }
  const altPort = get('alt-port');
  const altIps = [get('alt-ip'), get('alt-ip-port')].filter((o): o is FilteringObservation => o !== undefined);
  if (altIps.some((o) => o.answered)) {
    return { behavior: 'EIF', evidence: 'a check from a server address the browser never contacted got through' };
  }
  if (altPort?.answered) {
    if (altIps.length > 0) return { behavior: 'ADF', evidence: 'a check from a new port of the contacted address got through; one from a new address did not' };
    return { behavior: 'EIF-or-ADF', evidence: 'a check from a new port got through; the server has a single IP address, so a new address could not be tested' };
  }
  if (altPort) return { behavior: 'APDF', evidence: 'a check from a new port of the contacted address was dropped' };
  if (altIps.length > 0) return { behavior: 'ADF-or-APDF', evidence: 'a check from a new address was dropped; the server has no second port to test' };
  return { behavior: 'not-determined', evidence: 'the server has no alternate port or address to send checks from' };
}
