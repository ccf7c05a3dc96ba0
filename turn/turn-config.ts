// TURN server settings from environment variables. Every variable is documented in docs/turn-server.md. Each one
// is checked here, at start: a bad value throws one line that names the variable and says how to fix it (turn/main.ts
// prints it and exits 2), instead of a bind error or a stack trace later.
import { readFileSync } from 'node:fs';
import { availableParallelism, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { createSecureContext } from 'node:tls';
import { inCidr, parseCidr } from '../common/net/address-ranges';
import { ConfigError } from './config-error';
import { bytesToIp, ipToBytes } from '../common/net/ip-address';

export interface TurnServerConfig {
  /** IPv4 (or IPv6) address of the main listeners. With TURN_ALT_IP and the default wildcard, the host's primary
   *  address found next to the alternate one (a wildcard cannot be bound beside a specific address on one port). */
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
  /** TURN_SECRET_PREVIOUS: also accepted during a rotation (the signal server issues with TURN_SECRET only). */
  previousSecret: string | null;
  /** CIDRs opened despite the deny list. */
  allowPeers: string[];
  tcp: boolean;
  tlsCert: string | null;
  tlsKey: string | null;
  tlsPort: number;
  /** Seconds a TLS client may take to finish its handshake. */
  tlsHandshakeTimeoutS: number;
  nonceTtlSeconds: number;
  /** Allocations per REST user id (0 = unlimited). */
  userQuota: number;
  /** Allocations in total (0 = unlimited). */
  totalQuota: number;
  /** Allocations per source: an IPv4 address or an IPv6 /64 (0 = unlimited). */
  maxAllocationsPerIp: number;
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
const ON_OFF = ['on', 'off', '1', '0', 'true', 'false'];

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** What the host has (injected by tests): its interfaces, for TURN_ALT_IP next to a wildcard TURN_LISTEN. */
export interface HostFacts {
  interfaces?: Interfaces;
}

export function turnConfigFromEnv(env: NodeJS.ProcessEnv, host: HostFacts = {}): TurnServerConfig {
  const str = (name: string): string | null => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = str(name);
    if (v === null) return def;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new ConfigError(name, `${name} must be an integer from ${min} to ${max}, got "${v}"`);
    }
    return Number(v);
  };
  /** A plain IP literal (no brackets, no zone), returned in canonical form. */
  const ip = (name: string, def: string | null, family?: 4 | 6, what = 'IP address'): string | null => {
    const v = str(name);
    if (v === null) return def;
    const b = ipToBytes(v);
    if (!b || v.includes('%') || v.startsWith('[')) throw new ConfigError(name, `${name} must be an ${what} literal such as ${family === 6 ? '2001:db8::1' : '203.0.113.7'} (no host name, brackets or zone), got "${v}"`);
    if (family && b.length !== (family === 4 ? 4 : 16)) throw new ConfigError(name, `${name} must be an IPv${family} address (${what}), got "${v}"`);
    return bytesToIp(b);
  };
  const specific = (name: string, value: string | null): void => {
    if (value && isWildcardIp(value)) throw new ConfigError(name, `${name} must be a specific address of this host, not the wildcard "${value}" (unset it instead)`);
  };
  const optionalPort = (name: string, def: number | null): number | null =>
    str(name)?.toLowerCase() === 'off' ? null : str(name) === null ? def : int(name, 0, 0, 65535);
  const onOff = (name: string): boolean | null => {
    const v = str(name)?.toLowerCase();
    if (v === undefined) return null;
    if (!ON_OFF.includes(v)) throw new ConfigError(name, `${name} must be on or off, got "${v}"`);
    return v === 'on' || v === '1' || v === 'true';
  };

  let listen = ip('TURN_LISTEN', '0.0.0.0')!;
  const family: 4 | 6 = listen.includes(':') ? 6 : 4;
  const secret = str('TURN_SECRET');
  if (!secret) throw new ConfigError('TURN_SECRET', 'TURN_SECRET is required (the shared secret of the TURN REST credentials)');
  const previousSecret = str('TURN_SECRET_PREVIOUS');
  if (previousSecret !== null && previousSecret === secret) throw new ConfigError('TURN_SECRET_PREVIOUS', 'TURN_SECRET_PREVIOUS equals TURN_SECRET: set it to the secret being retired, or unset it once the rotation is over');
  const relayMinPort = int('TURN_RELAY_MIN_PORT', 49152, 0, 65535);
  const relayMaxPort = int('TURN_RELAY_MAX_PORT', 65535, 0, 65535);
  if (relayMinPort !== 0 && relayMinPort >= relayMaxPort) {
    throw new ConfigError('TURN_RELAY_MIN_PORT', `TURN_RELAY_MIN_PORT (${relayMinPort}) must be below TURN_RELAY_MAX_PORT (${relayMaxPort}): set a range such as 49152 and 65535`);
  }
  const allowPeers = (str('TURN_ALLOW_PEERS') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const c of allowPeers) if (!parseCidr(c)) throw new ConfigError('TURN_ALLOW_PEERS', `TURN_ALLOW_PEERS: "${c}" is not a CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
  const tlsCert = str('TURN_TLS_CERT');
  const tlsKey = str('TURN_TLS_KEY');
  if ((tlsCert === null) !== (tlsKey === null)) throw new ConfigError('TURN_TLS_CERT', 'TURN_TLS_CERT and TURN_TLS_KEY must be set together');
  if (tlsCert && tlsKey) checkTls(tlsCert, tlsKey);
  const logLevel = str('TURN_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('TURN_LOG_LEVEL', `TURN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const tcp = onOff('TURN_TCP') ?? true;
  onOff('TURN_FAST_SEND'); // read by turn/node/fast-udp-send.ts; checked here with the rest
  const realmText = env.TURN_REALM;
  // Empty = unset, as for every variable; blanks only are a mistake worth a word.
  if (realmText !== undefined && realmText !== '' && realmText.trim() === '') throw new ConfigError('TURN_REALM', 'TURN_REALM must not be empty: unset it (default p2pcheck) or set a name such as your domain');
  const realm = str('TURN_REALM') ?? 'p2pcheck';
  // RFC 8489 §14.9: REALM is fewer than 128 characters; control characters would break clients' quoted strings.
  if (realm.length > 127 || /[\x00-\x1f\x7f"\\]/.test(realm)) throw new ConfigError('TURN_REALM', `TURN_REALM must be at most 127 printable characters without quotes or backslashes, got "${realm.slice(0, 40)}"`);
  const workersText = str('TURN_WORKERS')?.toLowerCase() ?? 'auto';
  if (workersText !== 'auto' && !(/^\d+$/.test(workersText) && Number(workersText) >= 1 && Number(workersText) <= 64)) {
    throw new ConfigError('TURN_WORKERS', `TURN_WORKERS must be auto (one per CPU) or an integer from 1 to 64, got "${workersText}"`);
  }
  // auto: one worker per CPU from 4 CPUs up. On 2 CPUs the benchmark showed no gain from a second worker (docs/
  // turn-server.md, Multi-core), while relaying between two allocations held by different workers costs a kernel
  // round trip that one worker delivers in-process.
  const cpus = availableParallelism();
  const workers = workersText === 'auto' ? (cpus >= 4 ? Math.min(cpus, 64) : 1) : Number(workersText);
  const interfaces = host.interfaces ?? networkInterfaces();
  const v6 = str('TURN_LISTEN_V6');
  let listenV6: string | null = null;
  if (v6 === null) listenV6 = listen === '0.0.0.0' && hostHasIPv6(interfaces) ? '::' : null;
  else if (v6.toLowerCase() !== 'off') listenV6 = family === 6 ? null : ip('TURN_LISTEN_V6', null, 6, 'IPv6 address or off');

  const port = int('TURN_PORT', 3478, 0, 65535);
  const altPort = optionalPort('TURN_ALT_PORT', 3479);
  if (altPort !== null && altPort !== 0 && altPort === port) throw new ConfigError('TURN_ALT_PORT', `TURN_ALT_PORT must differ from TURN_PORT (both ${port}): set another port, or TURN_ALT_PORT=off`);
  const tlsPort = int('TURN_TLS_PORT', 5349, 0, 65535);
  if (tlsCert && tcp && tlsPort !== 0 && tlsPort === port) throw new ConfigError('TURN_TLS_PORT', `TURN_TLS_PORT must differ from TURN_PORT (both ${port}, TCP listens there): set another TLS port (5349), or TURN_TCP=off`);
  const metricsPort = int('TURN_METRICS_PORT', 9641, 0, 65535);
  if (metricsPort !== 0 && ((tcp && metricsPort === port) || (tlsCert && metricsPort === tlsPort))) {
    throw new ConfigError('TURN_METRICS_PORT', `TURN_METRICS_PORT (${metricsPort}) is also a TURN TCP/TLS port: set another metrics port (9641)`);
  }

  const altIp = ip('TURN_ALT_IP', null, family, `IPv${family} address like TURN_LISTEN`);
  specific('TURN_ALT_IP', altIp);
  if (altIp && altIp === listen) throw new ConfigError('TURN_ALT_IP', `TURN_ALT_IP must be a second address of this host, not TURN_LISTEN itself (${listen})`);
  if (altIp && isWildcardIp(listen)) {
    // A wildcard listener and a specific one cannot share a UDP port (EADDRINUSE). Like coturn's listening-ip,
    // bind specific addresses: the primary one found next to the alternate address, or refuse with the fix.
    listen = primaryAddressBeside(altIp, family, interfaces);
  }
  const externalIp = ip('TURN_EXTERNAL_IP', null);
  specific('TURN_EXTERNAL_IP', externalIp);
  const relayIp = ip('TURN_RELAY_IP', null, family, `IPv${family} address like TURN_LISTEN`);

  return {
    listen,
    listenV6,
    port,
    altPort,
    altIp,
    externalIp,
    relayIp,
    relayMinPort,
    relayMaxPort,
    realm,
    secret,
    previousSecret,
    allowPeers,
    tcp,
    tlsCert,
    tlsKey,
    tlsPort,
    tlsHandshakeTimeoutS: int('TURN_TLS_HANDSHAKE_TIMEOUT', 10, 1, 120),
    nonceTtlSeconds: int('TURN_NONCE_TTL', 600, 1, 86400),
    userQuota: int('TURN_USER_QUOTA', 20, 0, 1_000_000),
    totalQuota: int('TURN_TOTAL_QUOTA', 20000, 0, 10_000_000),
    maxAllocationsPerIp: int('TURN_MAX_ALLOCATIONS_PER_IP', 32, 0, 1_000_000),
    maxBps: int('TURN_MAX_BPS', 5_000_000, 0, 1e12),
    maxPermissions: int('TURN_MAX_PERMISSIONS', 100, 1, 10000),
    maxChannels: int('TURN_MAX_CHANNELS', 100, 1, 4096),
    unauthRate: int('TURN_UNAUTH_RATE', 100, 0, 1_000_000),
    maxTcpPerIp: int('TURN_MAX_TCP_PER_IP', 64, 1, 100_000),
    metricsPort,
    logLevel,
    workers,
  };
}

function hostHasIPv6(interfaces: Interfaces): boolean {
  return Object.values(interfaces).some((list) => list?.some((i) => i.family === 'IPv6'));
}

function isWildcardIp(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/**
 * The primary address for TURN_ALT_IP when TURN_LISTEN is the wildcard: the one other address of the interface
 * whose subnet holds the alternate address (on loopback: 127.0.0.1 beside 127.0.0.2). None or several → the
 * operator must say which, in TURN_LISTEN.
 */
function primaryAddressBeside(altIp: string, family: 4 | 6, interfaces: Interfaces): string {
  const alt = ipToBytes(altIp)!;
  const candidates = new Set<string>();
  for (const list of Object.values(interfaces)) {
    const mine = (list ?? []).filter((i) => (i.family === 'IPv4' ? 4 : 6) === family && !(family === 6 && i.address.toLowerCase().startsWith('fe80')));
    const holdsAlt = mine.some((i) => {
      const cidr = parseCidr(i.cidr ?? `${i.address}/${family === 4 ? 32 : 128}`);
      return cidr !== null && inCidr(alt, cidr);
    });
    if (!holdsAlt) continue;
    for (const i of mine) {
      const canonical = bytesToIp(ipToBytes(i.address)!);
      if (canonical !== altIp) candidates.add(canonical);
    }
  }
  if (candidates.size === 1) return [...candidates][0]!;
  const wildcard = family === 4 ? '0.0.0.0' : '::';
  const found = candidates.size ? `: one of ${[...candidates].join(', ')}` : '';
  throw new ConfigError('TURN_ALT_IP', `TURN_ALT_IP=${altIp} needs TURN_LISTEN set to this host's primary IPv${family} address${found} (the wildcard ${wildcard} cannot share its ports with ${altIp})`);
}

/** TURN_TLS_CERT / TURN_TLS_KEY readable, PEM, and a matching pair. */
function checkTls(certPath: string, keyPath: string): void {
  const read = (name: string, path: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(name, `${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): give a readable PEM file`);
    }
  };
  const cert = read('TURN_TLS_CERT', certPath);
  const key = read('TURN_TLS_KEY', keyPath);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new ConfigError('TURN_TLS_CERT', `TURN_TLS_CERT / TURN_TLS_KEY: not a usable PEM certificate and matching key (${why}): check both files`);
  }
}
