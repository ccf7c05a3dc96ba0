// Limits of the probe peer, from the environment (defaults a public deployment can keep).
import { intFromEnv } from '../config';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits } from './probe-registry';

export function probeLimitsFromEnv(env: NodeJS.ProcessEnv): ProbeLimits {
  const d = DEFAULT_PROBE_LIMITS;
  return {
    maxSessions: intFromEnv(env, 'PROBE_MAX_SESSIONS', d.maxSessions, 1, 1_000_000),
    maxPerClient: intFromEnv(env, 'PROBE_MAX_PER_IP', d.maxPerClient, 0, 1_000_000),
    checksPerSecond: intFromEnv(env, 'PROBE_CHECKS_PER_SECOND', d.checksPerSecond, 0, 1_000_000),
  };
}
