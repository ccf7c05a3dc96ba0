// The HTTP/signaling side's settings, read from the environment. Every value has an embedded default so
// `npm start` runs with none set; a bad value is a one-line error at start naming the variable and the fix,
// never a silent fallback. The limits' defaults are meant to be kept by a public deployment.
import { isIP } from 'node:net';
import { ConfigError } from '../turn/config-error';
import { parseTrustedProxies, type TrustedProxies } from './http/client-address';
import { parseAllowedOrigins, type OriginAllowList } from './security/origin-policy';

export interface SignalConfig {
  host: string;
  port: number;
  /** Host name or IP put into the STUN/TURN URLs; null = the host the page was loaded from. */
  iceHost: string | null;
  /** Seconds a TURN REST credential stays valid. */
  iceTtlSeconds: number;
  heartbeatMs: number;
  staticDir: string;
  logLevel: string;
  turnEnabled: boolean;
  /** Reverse proxies whose X-Forwarded-For is believed (TRUST_PROXY); null = none. */
  trustProxy: TrustedProxies;
  limits: SignalLimits;
  /** Origins besides the server's own whose pages may open /ws. */
  allowedOrigins: OriginAllowList;
  metrics: MetricsConfig;
  /** Seconds a SIGTERM drain waits for running rooms to end before the node closes (DRAIN_TIMEOUT_S). */
  drainTimeoutS: number;
  /** Rooms across nodes on this Redis (REDIS_URL); null = rooms in this process only (the embedded default). */
  redisUrl: string | null;
  /** Milliseconds a node's presence in Redis lives without refresh: its peers are seen gone within about this. */
  redisPresenceTtlMs: number;
}

export interface SignalLimits {
  /** /api/ice-servers answers per client per minute (0 = no limit), and the burst a client may use at once. */
  iceCredentialsPerMinute: number;
  iceCredentialsBurst: number;
  /** Open /ws sockets per client (0 = no limit). */
  wsPerClient: number;
  /** Bytes the server may hold unsent for one socket; a socket beyond it is closed. */
  wsMaxBufferedBytes: number;
  /** Signaling messages per second per socket on average, and the burst. */
  wsMessagesPerSecond: number;
  wsMessageBurst: number;
}

export interface MetricsConfig {
  /** Bearer token /metrics asks for; null = open. */
  token: string | null;
  /** Own listener for /metrics (then the main port answers 404 there); null = served on the main port. */
  listen: { host: string; port: number } | null;
}

export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `${name} must be true or false (1/0), got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function ipFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: string, example: string): string {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!isIP(raw)) throw new ConfigError(name, `${name} must be an IP address to listen on (e.g. ${example}), not a host name, got "${raw}"`);
  return raw;
}

function redisUrlFromEnv(env: NodeJS.ProcessEnv): string | null {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
    throw new ConfigError('REDIS_URL', 'REDIS_URL must be a redis:// or rediss:// URL (e.g. redis://:password@10.0.0.5:6379/0), or unset for rooms in this process only');
  }
  return raw;
}

export function signalConfigFromEnv(env: NodeJS.ProcessEnv): SignalConfig {
  const iceHostRaw = env.ICE_HOST?.trim() || null;
  if (iceHostRaw !== null && !isIP(iceHostRaw) && !HOST_NAME.test(iceHostRaw)) {
    throw new ConfigError('ICE_HOST', `ICE_HOST must be a host name or an IP address without brackets or port (e.g. p2p.example.org or 203.0.113.7), got "${iceHostRaw}"`);
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const trustProxy = parseTrustedProxies(env.TRUST_PROXY?.trim());
  if (trustProxy && 'error' in trustProxy) {
    throw new ConfigError('TRUST_PROXY', `TRUST_PROXY: ${trustProxy.error}; set it to loopback or a comma list of proxy addresses/CIDR ranges (e.g. 10.0.0.0/8), or leave it empty`);
  }
  const allowedOrigins = parseAllowedOrigins(env.ALLOWED_ORIGINS);
  if ('error' in allowedOrigins) throw new ConfigError('ALLOWED_ORIGINS', `ALLOWED_ORIGINS: ${allowedOrigins.error}; or * for any, or leave it empty for the same origin only`);
  const token = env.METRICS_TOKEN?.trim() || null;
  if (token !== null && !/^[A-Za-z0-9._~+/=-]{16,512}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'METRICS_TOKEN must be 16 to 512 characters of letters, digits and -._~+/= (e.g. the output of `openssl rand -hex 24`)');
  }
  const metricsPortRaw = env.METRICS_PORT?.trim();
  const metricsListen = metricsPortRaw
    ? { host: ipFromEnv(env, 'METRICS_HOST', '127.0.0.1', '127.0.0.1'), port: intFromEnv(env, 'METRICS_PORT', 0, 0, 65535) }
    : null;
  if (!metricsPortRaw && env.METRICS_HOST?.trim()) throw new ConfigError('METRICS_HOST', 'METRICS_HOST needs METRICS_PORT too (the port /metrics listens on there)');

  const limits: SignalLimits = {
    iceCredentialsPerMinute: intFromEnv(env, 'ICE_CREDENTIALS_PER_MINUTE', 60, 0, 1_000_000),
    iceCredentialsBurst: intFromEnv(env, 'ICE_CREDENTIALS_BURST', 20, 1, 1_000_000),
    wsPerClient: intFromEnv(env, 'WS_MAX_PER_CLIENT', 32, 0, 1_000_000),
    wsMaxBufferedBytes: intFromEnv(env, 'WS_MAX_BUFFERED_KB', 1024, 128, 1_048_576) * 1024,
    wsMessagesPerSecond: intFromEnv(env, 'WS_MESSAGES_PER_SECOND', 50, 1, 100_000),
    wsMessageBurst: intFromEnv(env, 'WS_MESSAGE_BURST', 200, 1, 100_000),
  };
  return {
    host: ipFromEnv(env, 'HOST', '0.0.0.0', '0.0.0.0, :: or 127.0.0.1'),
    port: intFromEnv(env, 'PORT', 8080, 0, 65535),
    iceHost: iceHostRaw,
    iceTtlSeconds: intFromEnv(env, 'ICE_TTL', 3600, 60, 7 * 86400),
    heartbeatMs: intFromEnv(env, 'HEARTBEAT_MS', 15000, 100, 600000),
    staticDir: env.STATIC_DIR || 'dist',
    logLevel,
    turnEnabled: boolFromEnv(env, 'TURN_ENABLED', true),
    trustProxy: trustProxy as TrustedProxies,
    limits,
    allowedOrigins,
    metrics: { token, listen: metricsListen },
    drainTimeoutS: intFromEnv(env, 'DRAIN_TIMEOUT_S', 30, 0, 3600),
    redisUrl: redisUrlFromEnv(env),
    redisPresenceTtlMs: intFromEnv(env, 'REDIS_PRESENCE_TTL_MS', 5000, 500, 60000),
  };
}
