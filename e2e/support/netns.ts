// Network namespaces for end-to-end tests. A test host is a namespace with one veth interface whose other
// end sits in a "sink" namespace where nothing answers: the default route exists (Chromium gathers no
// candidates without one) and every packet to a foreign address is silently dropped, so no test traffic
// ever leaves the machine.
import { execFileSync, spawnSync } from 'node:child_process';

export const E2E_PREFIX = 'p2pe-';

export function canUseNetns(): { ok: true } | { ok: false; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (ip.status !== 0) return { ok: false, reason: `iproute2 unusable: ${ip.stderr || ip.error?.message}` };
  return { ok: true };
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface TestHost {
  ns: string;
  address: string;
  remove(): void;
}

/** Creates `<prefix><name>` with address 10.200.<subnet>.1/24 and its silent sink. */
export function createTestHost(name: string, subnet: number): TestHost {
  const ns = `${E2E_PREFIX}${name}`;
  const sink = `${ns}-sink`;
  removeNamespaces([ns, sink]);
  const address = `10.200.${subnet}.1`;
  ip('netns', 'add', ns);
  ip('netns', 'add', sink);
  const hostIf = `e2e${subnet}a`;
  const sinkIf = `e2e${subnet}b`;
  ip('link', 'add', hostIf, 'netns', ns, 'type', 'veth', 'peer', 'name', sinkIf, 'netns', sink);
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', hostIf);
  ip('-n', ns, 'link', 'set', hostIf, 'up');
  ip('-n', sink, 'link', 'set', sinkIf, 'up');
  // A gateway that never answers ARP: packets to any other address die quietly, as on the real internet.
  ip('-n', ns, 'route', 'add', 'default', 'via', `10.200.${subnet}.254`);
  return { ns, address, remove: () => removeNamespaces([ns, sink]) };
}

export function listNamespaces(prefix: string): string[] {
  const out = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return out
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

export function removeNamespaces(names: string[]): void {
  for (const name of names) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
}
