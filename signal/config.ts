// The HTTP/signaling side's settings, read from the environment. Every value has an embedded default so
// `npm start` runs with none set; a bad value is a clear error at start, never a silent fallback.
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
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function boolFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false (1/0), got "${raw}"`);
}

export function signalConfigFromEnv(env: NodeJS.ProcessEnv): SignalConfig {
  return {
    host: env.HOST || '0.0.0.0',
    port: intFromEnv(env, 'PORT', 8080, 0, 65535),
    iceHost: env.ICE_HOST || null,
    iceTtlSeconds: intFromEnv(env, 'ICE_TTL', 3600, 60, 7 * 86400),
    heartbeatMs: intFromEnv(env, 'HEARTBEAT_MS', 15000, 100, 600000),
    staticDir: env.STATIC_DIR || 'dist',
    logLevel: env.LOG_LEVEL || 'info',
    turnEnabled: boolFromEnv(env, 'TURN_ENABLED', true),
  };
}
