// The link-condition lab's network (docs/call-test.md): a server namespace with p2pcheck (signaling + TURN) and a
// delaying UDP forwarder in front of TURN, and one namespace per browser, each on its own veth to the server.
// Conditions: tbf rate caps on both ends of a browser's veth, iptables `statistic` random drops of the UDP a
// browser sends, and the forwarder's delay/jitter (this kernel has no netem). Rooms are relay-only (?relay=1) and
// the server namespace redirects UDP 3478 to the forwarder, so all media crosses it. Namespaces are p2q-<pid>-*,
// removed by remove() (and stale ones of dead runs by removeStaleLabs()).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { listNamespaces, removeNamespaces } from './support/netns';
import { viaRelay, type LinkCondition } from './quality-lab-conditions';

export const QUALITY_LAB_PREFIX = 'p2q-';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FORWARDER_PORT = 3490;
const TURN_PORT = 3478;

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
const inNs = (ns: string, cmd: string, ...args: string[]) => run('ip', ['netns', 'exec', ns, cmd, ...args]);

export interface LabClient {
  ns: string;
  /** This browser's side of its veth, and the server's side (the address it opens the page at). */
  iface: string;
  serverIface: string;
  serverAddress: string;
}

export interface QualityLabNet {
  server: string;
  clients: [LabClient, LabClient];
  /** TURN_RELAY_IP for the server. */
  relayIp: string;
  apply(c: LinkCondition): Promise<void>;
  clear(): Promise<void>;
  remove(): Promise<void>;
}

/** Namespaces of earlier runs whose process is gone. */
export function removeStaleLabs(): void {
  const stale = listNamespaces(QUALITY_LAB_PREFIX).filter((ns) => {
    const pid = Number(/^p2q-(\d+)-/.exec(ns)?.[1]);
    if (!pid) return true;
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
  removeNamespaces(stale);
}

export function createQualityLabNet(): QualityLabNet {
  const tag = `${QUALITY_LAB_PREFIX}${process.pid}`;
  const server = `${tag}-s`;
  const names = [server, `${tag}-a`, `${tag}-b`];
  removeNamespaces(names);
  let forwarder: ChildProcess | null = null;
  const clients: LabClient[] = [];
  try {
    for (const ns of names) {
      run('ip', ['netns', 'add', ns]);
      inNs(ns, 'ip', 'link', 'set', 'lo', 'up');
    }
    for (const [i, side] of (['a', 'b'] as const).entries()) {
      const ns = `${tag}-${side}`;
      const net = `10.78.${i + 1}`;
      // Interface names are per namespace, so they need not be unique across runs.
      run('ip', ['link', 'add', 'q0', 'netns', ns, 'type', 'veth', 'peer', 'name', `q${side}`, 'netns', server]);
      inNs(ns, 'ip', 'addr', 'add', `${net}.2/24`, 'dev', 'q0');
      inNs(ns, 'ip', 'link', 'set', 'q0', 'up');
      inNs(ns, 'ip', 'route', 'add', 'default', 'via', `${net}.1`);
      inNs(server, 'ip', 'addr', 'add', `${net}.1/24`, 'dev', `q${side}`);
      inNs(server, 'ip', 'link', 'set', `q${side}`, 'up');
      clients.push({ ns, iface: 'q0', serverIface: `q${side}`, serverAddress: `${net}.1` });
    }
    // Rows without delay or jitter take the direct path: the server namespace routes between the two browsers
    // (kernel forwarding, no user-space process in the media path: on two busy cores a Node relay delivers in
    // bursts, and the audio jitter buffer grew to ~400 ms on a clean link).
    inNs(server, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    // TURN over UDP from the browsers goes to the forwarder (which reaches TURN over loopback, not redirected).
    inNs(server, 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-p', 'udp', '--dport', String(TURN_PORT), '-j', 'REDIRECT', '--to-ports', String(FORWARDER_PORT));
  } catch (err) {
    removeNamespaces(names);
    throw err;
  }

  async function stopForwarder(): Promise<void> {
    const f = forwarder;
    forwarder = null;
    if (!f || f.exitCode !== null || f.signalCode !== null) return;
    const exited = once(f, 'exit');
    f.kill('SIGTERM');
    const t = setTimeout(() => f.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }

  async function startForwarder(c: LinkCondition): Promise<void> {
    const quarter = (c.addedRttMs ?? 0) / 4;
    const options = { target: { host: '127.0.0.1', port: TURN_PORT }, listenHost: '0.0.0.0', listenPort: FORWARDER_PORT, protocols: ['udp'], delayMs: quarter, jitterMs: c.jitterMs ?? 0 };
    const child = spawn('ip', ['netns', 'exec', server, process.execPath, '--import', 'tsx', 'e2e/support/delay-forwarder.ts', JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    forwarder = child;
    let output = '';
    child.stderr!.on('data', (d) => (output += String(d)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`delay forwarder did not start within 15 s: ${output}`)), 15000);
      child.stdout!.on('data', (d) => {
        output += String(d);
        if (output.includes('"udp"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`delay forwarder exited with ${code}: ${output}`));
      });
    });
  }

  function clearShaping(): void {
    spawnSync('ip', ['netns', 'exec', server, 'iptables', '-t', 'raw', '-F', 'PREROUTING'], { stdio: 'ignore' });
    for (const cl of clients) {
      spawnSync('ip', ['netns', 'exec', cl.ns, 'tc', 'qdisc', 'del', 'dev', cl.iface, 'root'], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'exec', server, 'tc', 'qdisc', 'del', 'dev', cl.serverIface, 'root'], { stdio: 'ignore' });
      spawnSync('ip', ['netns', 'exec', cl.ns, 'iptables', '-F', 'OUTPUT'], { stdio: 'ignore' });
      // TCP only to the page and signaling: a TURN/TCP or TLS relay would carry the media around the forwarder and
      // the UDP loss (Chromium picked it under 10 % loss).
      inNs(cl.ns, 'iptables', '-A', 'OUTPUT', '-p', 'tcp', '!', '--dport', '8080', '-j', 'REJECT', '--reject-with', 'tcp-reset');
    }
  }

  return {
    server,
    clients: clients as [LabClient, LabClient],
    relayIp: clients[0]!.serverAddress,
    async apply(c) {
      clearShaping();
      for (const cl of clients) {
        if (c.rateBps) {
          // Burst of 10 ms at the rate (at least a couple of full frames); a queue of at most 100 ms before drops.
          const burst = String(Math.max(3200, Math.round(c.rateBps / 8 / 100)));
          for (const [ns, dev] of [[cl.ns, cl.iface], [server, cl.serverIface]] as const) {
            inNs(ns, 'tc', 'qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', String(c.rateBps), 'burst', burst, 'latency', '100ms');
          }
        }
        // Dropped where the packet enters the server namespace, not in the browser's OUTPUT chain: a drop there
        // fails the browser's own send (EPERM), so the sender learns of the loss, which no network tells it.
        if (c.loss) inNs(server, 'iptables', '-t', 'raw', '-A', 'PREROUTING', '-i', cl.serverIface, '-p', 'udp', '-m', 'statistic', '--mode', 'random', '--probability', String(c.loss), '-j', 'DROP');
      }
      await stopForwarder();
      if (viaRelay(c)) await startForwarder(c);
    },
    async clear() {
      clearShaping();
      await stopForwarder();
    },
    async remove() {
      await stopForwarder();
      removeNamespaces(names);
    },
  };
}
