// p2pcheck's own server inside the lab's "internet" namespace, on both public addresses, with the relay
// allowed to send to the lab's public ranges (they are documentation ranges, denied by default).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { LAB } from './lab-topology';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function labServerEnv(): Record<string, string> {
  const s = LAB.server;
  return {
    HOST: '0.0.0.0',
    PORT: String(s.httpPort),
    TURN_LISTEN: s.primary,
    TURN_PORT: String(s.turnPort),
    TURN_ALT_PORT: String(s.turnAltPort),
    TURN_ALT_IP: s.alternate,
    TURN_EXTERNAL_IP: s.primary,
    TURN_RELAY_IP: s.primary,
    TURN_SECRET: randomBytes(18).toString('base64url'),
    TURN_REALM: 'p2pcheck-lab',
    TURN_ALLOW_PEERS: s.publicCidrs.join(','),
    LOG_LEVEL: 'warn',
  };
}

/** Null when the built page exists, else what to do. */
export function pageBuildProblem(): string | null {
  const dir = process.env.STATIC_DIR || `${ROOT}/dist`; // the server reads STATIC_DIR too (it inherits our env)
  return existsSync(`${dir}/index.html`) ? null : `the page is not built (${dir}/index.html missing): run \`npm run build\` first`;
}

export function startLabServer(): Promise<AppProcess> {
  return startAppProcess({ ns: LAB.server.ns, host: LAB.server.primary, env: labServerEnv() });
}
