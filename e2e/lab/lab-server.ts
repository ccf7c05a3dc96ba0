// p2pcheck's own server inside the lab's "internet" namespace, on both public addresses, with the relay
// allowed to send to the lab's public ranges (they are documentation ranges, denied by default), TURN over TLS on
// port 443 of the primary address (a throw-away certificate made at start) and IPv6 for the dual-stack hosts.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { LAB, LAB_ICE_HOST, LAB_PREFIX, LAB_TLS_NAME } from './lab-topology';


/** A self-signed certificate for TURN over TLS, in /tmp/p2l-tls (removed with the lab). */
export function labTlsFiles(): { cert: string; key: string } {
  const dir = join(tmpdir(), `${LAB_PREFIX}tls`);
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(dir, { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${LAB_TLS_NAME}`, '-addext', `subjectAltName=DNS:${LAB_TLS_NAME},IP:${LAB.server.primary}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function labServerEnv(): Record<string, string> {
  const s = LAB.server;
  const tls = labTlsFiles();
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
    // TURN over TLS on 443 of the primary address; the page's 443 is on another address (LAB.server.page443),
    // so the ICE URLs must name the primary whichever address the page came from.
    TURN_TLS_CERT: tls.cert,
    TURN_TLS_KEY: tls.key,
    TURN_TLS_PORT: String(s.turnTlsPort),
    ICE_HOST: LAB_ICE_HOST,
    TURN_LISTEN_V6: s.ipv6.primary,
    LOG_LEVEL: 'warn',
  };
}

/** The IPv6-only p2pcheck (LabServer.v6Only): the page tests the address family of the ICE host it is given
 * (docs/nat-diagnosis.md, "Per address family"), so only a page whose ICE host is an IPv6 address tests the
 * dual-stack hosts' IPv6 firewall ("IPv6: public, firewalled / open"). Its own HTTP port (the first server has
 * 8080 on every IPv4 address), its own TURN ports on its own two addresses. */
export function labServer6Env(): Record<string, string> {
  const v = LAB.server.v6Only;
  return {
    HOST: '::',
    PORT: String(v.httpPort),
    TURN_LISTEN: v.primary,
    TURN_PORT: String(LAB.server.turnPort),
    TURN_ALT_PORT: String(LAB.server.turnAltPort),
    TURN_ALT_IP: v.alternate,
    TURN_SECRET: randomBytes(18).toString('base64url'),
    TURN_REALM: 'p2pcheck-lab-v6',
    TURN_ALLOW_PEERS: '2001:db8::/32', // every IPv6 address of the lab (documentation prefix)
    ICE_HOST: v.primary,
    LOG_LEVEL: 'warn',
  };
}

/** Null when the built page exists, else what to do. */
export function pageBuildProblem(): string | null {
  const dir = process.env.STATIC_DIR || `${ROOT}/dist`; // the server reads STATIC_DIR too (it inherits our env)
  return existsSync(`${dir}/index.html`) ? null : `the page is not built (${dir}/index.html missing): run \`npm run build\` first`;
}

/** The browsers are told to trust the lab's self-signed certificate (Chromium --ignore-certificate-errors,
 * Firefox acceptInsecureCerts), so the name is checked here: from `ns`, TURN over TLS at LAB_ICE_HOST:443 must
 * present a certificate that verifies for that name against the lab's certificate. Null when it does. */
export function labTlsNameProblem(ns: string): string | null {
  const { cert } = labTlsFiles();
  const name = LAB_TLS_NAME;
  let out: string;
  try {
    out = execFileSync('ip', ['netns', 'exec', ns, 'openssl', 's_client', '-connect', `${name}:${LAB.server.turnTlsPort}`, '-servername', name,
      '-verify_hostname', name, '-CAfile', cert, '-verify_return_error', '-brief'], { input: '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return `TURN over TLS at ${name}:${LAB.server.turnTlsPort} from ${ns}: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' / ')}`;
  }
  return null;
}

export function startLabServer(): Promise<AppProcess> {
  return startAppProcess({ ns: LAB.server.ns, host: LAB.server.primary, env: labServerEnv() });
}

export function startLabServer6(): Promise<AppProcess> {
  return startAppProcess({ ns: LAB.server.ns, host: `[${LAB.server.v6Only.primary}]`, env: labServer6Env() });
}
