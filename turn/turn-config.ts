// TURN server settings from environment variables. Every variable is documented in docs/turn-server.md.
import { availableParallelism, networkInterfaces } from 'node:os';
import { ipToBytes } from './stun/ip-address';
import { parseCidr } from './security/peer-policy';

export interface TurnServerConfig {
  /** IPv4 (or IPv6) address of the main listeners. */
  listen: string;
  /** Extra IPv6 listener ('::' when the host has IPv6 and `listen` is the IPv4 wildcard), or null. */
  listenV6: string | null;
  /** UDP and TCP port (0 = ephemeral, for tests). */
  port: number;
  /** RFC 5780 alternate port on the same IP(s), or null for none. */
  altPort: number | null;
  /** RFC 5780 second IP (full NAT behaviour discovery), or null. */
  altIp: string | null;
  /** Public address advertised in XOR-RELAYED-ADDRESS/RESPONSE-ORIGIN when behind a 1:1 NAT. */
  externalIp: string | null;
  /** Address relay sockets bind to (default: `listen`). */
  relayIp: string | null;
  relayMinPort: number;
  relayMaxPort: number;
  realm: string;
  secret: string;
  /** CIDRs opened despite the deny list. */
  allowPeers: string[];
  tcp: boolean;
  tlsCert: string | null;
  tlsKey: string | null;
  tlsPort: number;
  nonceTtlSeconds: number;
  /** Allocations per REST user id (0 = unlimited). */
  userQuota: number;
  /** Allocations in total (0 = unlimited). */
  totalQuota: number;
  /** Relayed bytes per second per allocation, both directions together (0 = unlimited). */
  maxBps: number;
  maxPermissions: number;
  maxChannels: number;
  /** Unauthenticated replies per second per source IP (0 = unlimited); bursts of twice this. */
  unauthRate: number;
  /** Concurrent TCP/TLS client connections per source IP. */
  maxTcpPerIp: number;
  metricsPort: number;
  logLevel: string;
  /** Standalone server only: worker threads sharing the UDP port through SO_REUSEPORT (1 = one thread). */
  workers: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function turnConfigFromEnv(env: NodeJS.ProcessEnv): TurnServerConfig {
  const str = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = str(name);
    if (v === null) return def;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new Error(`${name} must be an integer from ${min} to ${max}, got "${v}"`);
    }
    return Number(v);
  };
  const ip = (name: string, def: string | null): string | null => {
    const v = str(name);
    if (v === null) return def;
    if (!ipToBytes(v)) throw new Error(`${name} must be an IP address, got "${v}"`);
    return v;
  };
  const optionalPort = (name: string, def: number | null): number | null =>
    str(name)?.toLowerCase() === 'off' ? null : str(name) === null ? def : int(name, 0, 0, 65535);

  const listen = ip('TURN_LISTEN', '0.0.0.0')!;
  const secret = str('TURN_SECRET');
  if (!secret) throw new Error('TURN_SECRET is required (the shared secret of the TURN REST credentials)');
  const relayMinPort = int('TURN_RELAY_MIN_PORT', 49152, 0, 65535);
  const relayMaxPort = int('TURN_RELAY_MAX_PORT', 65535, 0, 65535);
  if (relayMinPort > relayMaxPort) throw new Error(`TURN_RELAY_MIN_PORT (${relayMinPort}) is above TURN_RELAY_MAX_PORT (${relayMaxPort})`);
  const allowPeers = (str('TURN_ALLOW_PEERS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const c of allowPeers) if (!parseCidr(c)) throw new Error(`TURN_ALLOW_PEERS: "${c}" is not a CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
  const tlsCert = str('TURN_TLS_CERT');
  const tlsKey = str('TURN_TLS_KEY');
  if ((tlsCert === null) !== (tlsKey === null)) throw new Error('TURN_TLS_CERT and TURN_TLS_KEY must be set together');
  const logLevel = str('TURN_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`TURN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const tcp = str('TURN_TCP')?.toLowerCase();
  if (tcp && !['on', 'off', '1', '0', 'true', 'false'].includes(tcp)) throw new Error(`TURN_TCP must be on or off, got "${tcp}"`);
  const workersText = str('TURN_WORKERS')?.toLowerCase() ?? 'auto';
  if (workersText !== 'auto' && !(/^\d+$/.test(workersText) && Number(workersText) >= 1 && Number(workersText) <= 64)) {
    throw new Error(`TURN_WORKERS must be auto (one per CPU) or an integer from 1 to 64, got "${workersText}"`);
  }
  // auto: one worker per CPU from 4 CPUs up. On 2 CPUs the benchmark showed no gain from a second worker (docs/
  // turn-server.md, Multi-core), while relaying between two allocations held by different workers costs a kernel
  // round trip that one worker delivers in-process.
  const cpus = availableParallelism();
  const workers = workersText === 'auto' ? (cpus >= 4 ? Math.min(cpus, 64) : 1) : Number(workersText);
  const v6 = str('TURN_LISTEN_V6');
  let listenV6: string | null = null;
  if (v6 === null) listenV6 = listen === '0.0.0.0' && hostHasIPv6() ? '::' : null;
  else if (v6.toLowerCase() !== 'off') listenV6 = ip('TURN_LISTEN_V6', null);

  return {
    listen,
    listenV6,
    port: int('TURN_PORT', 3478, 0, 65535),
    altPort: optionalPort('TURN_ALT_PORT', 3479),
    altIp: ip('TURN_ALT_IP', null),
    externalIp: ip('TURN_EXTERNAL_IP', null),
    relayIp: ip('TURN_RELAY_IP', null),
    relayMinPort,
    relayMaxPort,
    realm: str('TURN_REALM') ?? 'p2pcheck',
    secret,
    allowPeers,
    tcp: !(tcp === 'off' || tcp === '0' || tcp === 'false'),
    tlsCert,
    tlsKey,
    tlsPort: int('TURN_TLS_PORT', 5349, 0, 65535),
    nonceTtlSeconds: int('TURN_NONCE_TTL', 600, 1, 86400),
    userQuota: int('TURN_USER_QUOTA', 20, 0, 1_000_000),
    totalQuota: int('TURN_TOTAL_QUOTA', 20000, 0, 10_000_000),
    maxBps: int('TURN_MAX_BPS', 5_000_000, 0, 1e12),
    maxPermissions: int('TURN_MAX_PERMISSIONS', 100, 1, 10000),
    maxChannels: int('TURN_MAX_CHANNELS', 100, 1, 4096),
    unauthRate: int('TURN_UNAUTH_RATE', 100, 0, 1_000_000),
    maxTcpPerIp: int('TURN_MAX_TCP_PER_IP', 64, 1, 100_000),
    metricsPort: int('TURN_METRICS_PORT', 9641, 0, 65535),
    logLevel,
    workers,
  };
}

function hostHasIPv6(): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.family === 'IPv6'));
}
