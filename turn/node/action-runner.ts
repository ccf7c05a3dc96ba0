// Carries out the TURN core's actions (core/types.ts TurnAction): sends to clients over the UDP listeners or their
// TCP/TLS connection, opens relay sockets (answering the core with relayBound) and closes them, feeds what arrives
// on a relay socket back to the core, and logs each allocation's start and end.
import type { RemoteInfo, Socket } from 'node:dgram';
import type { Logger } from 'pino';
import type { Allocation } from '../core/allocation';
import type { ClientRef } from '../core/client-ref';
import type { EndpointRole } from '../../common/net/endpoint-role';
import type { TurnCore } from '../core/turn-core';
import type { TurnAction } from '../core/types';
import type { FamilyAddress } from '../../common/net/transport-address';
import type { UdpSender } from './fast-udp-send';
import type { HandlerGuard } from './handler-guard';
import type { RelayPortPool } from './relay-sockets';
import type { Listeners } from './udp-listeners';

/** Per relay family: where relay sockets bind (`bindIp`, may be a wildcard), how this host reaches them
 *  (`localIp`) and what XOR-RELAYED-ADDRESS says (`publicIp`). No entry: that family cannot be relayed. */
export type RelayIps = Partial<Record<4 | 6, { bindIp: string; localIp: string; publicIp: string }>>;

export interface ActionTargets {
  core: TurnCore;
  logger: Logger;
  guard: HandlerGuard;
  udp: Listeners;
  sender: UdpSender;
  /** Writes to a TCP/TLS client connection. */
  writeStream(clientKey: string, data: Buffer): void;
  pool: RelayPortPool;
  relayIps: RelayIps;
}

const kAllocation = Symbol('allocation');
type RelaySocket = Socket & { [kAllocation]?: Allocation };

// A client that went away is noticed by the allocation's lifetime, not by a failed send.
const ignoreSendError = () => {};

export class ActionRunner {
  private stopped = false;
  private readonly pendingBinds = new Set<Promise<void>>();
  /** Shared by every relay socket (no closure per allocation: memory per idle allocation matters at 10,000s). */
  private readonly onRelayMessage: (this: RelaySocket, msg: Buffer, rinfo: RemoteInfo) => void;
  private readonly onRelayError: (err: NodeJS.ErrnoException) => void;
  // Send failures towards a peer (ENETUNREACH, EPERM from a firewall, …) are counted and never end the allocation.
  private readonly onPeerSendError: (code: string) => void;

  constructor(private readonly t: ActionTargets) {
    const { core, guard } = t;
    const runner = this;
    this.onRelayMessage = function (msg, rinfo) {
      const allocation = this[kAllocation];
      if (!allocation) return;
      try {
        const act = core.handleRelayPacket(allocation, { family: allocation.family, address: rinfo.address, port: rinfo.port }, msg, Date.now());
        if (act) runner.runOne(act);
      } catch (err) {
        guard.note('relay-datagram', err);
      }
    };
    // Asynchronous socket errors (ICMP-reported, …): counted, the allocation kept.
    this.onRelayError = (err) => core.notePeerSendError(err.code ?? 'unknown');
    this.onPeerSendError = (code) => core.notePeerSendError(code);
  }

  /** Stopped: only closing relays and logging their end are carried out. */
  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
  }

  /** Resolves once no relay socket is being bound. */
  async settled(): Promise<void> {
    await Promise.all([...this.pendingBinds]);
  }

  run(actions: TurnAction[]): void {
    for (const a of actions) this.runOne(a);
  }

  runOne(a: TurnAction): void {
    if (this.stopped && a.type !== 'close-relay' && a.type !== 'allocation-closed') return;
    switch (a.type) {
      case 'send':
        this.sendToClient(a.to, a.data, a.via);
        return;
      case 'relay-send':
        if (a.allocation.handle) this.t.sender(a.allocation.handle as Socket, a.data, a.peer.port, a.peer.address, this.onPeerSendError);
        return;
      case 'bind-relay': {
        const p = this.bindRelay(a.allocation, a.family, a.evenPort)
          .catch((err: unknown) => this.relayBindFailed(a.allocation, err))
          .finally(() => this.pendingBinds.delete(p));
        this.pendingBinds.add(p);
        return;
      }
      case 'close-relay':
        this.releaseRelaySocket(a.allocation);
        return;
      case 'allocation-created': {
        const { id, username, client, relay, pendingLifetimeS } = a.allocation;
        this.t.logger.info({ event: 'allocation-start', allocation: id, user: username, client: `${client.address}:${client.port}`, transport: client.transport, relay: `${relay?.address}:${relay?.port}`, lifetime: pendingLifetimeS }, 'allocation start');
        return;
      }
      case 'allocation-closed': {
        const { id, username, createdAt, bytesToPeer, bytesToClient } = a.allocation;
        this.t.logger.info({ event: 'allocation-end', allocation: id, user: username, reason: a.reason, durationS: Math.round((Date.now() - createdAt) / 1000), bytesToPeer, bytesToClient }, 'allocation end');
        return;
      }
      default: {
        const never: never = a;
        throw new Error(`unhandled action ${JSON.stringify(never)}`);
      }
    }
  }

  private sendToClient(to: ClientRef, data: Buffer, via?: EndpointRole): void {
    if (to.transport === 'udp') {
      const socket = this.t.udp[to.family][via ?? to.via];
      if (socket) this.t.sender(socket, data, to.port, to.address, ignoreSendError);
    } else {
      this.t.writeStream(to.key, data);
    }
  }

  private async bindRelay(allocation: Allocation, family: 4 | 6, evenPort: boolean): Promise<void> {
    const { core, pool, relayIps, logger } = this.t;
    const ips = relayIps[family];
    const bound = ips ? await pool.bind(ips.bindIp, family, evenPort) : null;
    if (!bound) {
      logger.warn({ allocation: allocation.id, family }, 'no relay port could be bound (range exhausted?)');
      this.run(core.relayBound(allocation, null, Date.now()));
      return;
    }
    const { socket } = bound;
    allocation.handle = socket;
    (socket as RelaySocket)[kAllocation] = allocation;
    const relay: FamilyAddress = { family, address: ips!.publicIp, port: bound.port };
    socket.on('message', this.onRelayMessage);
    socket.on('error', this.onRelayError);
    this.run(core.relayBound(allocation, { relay, localRelay: { family, address: ips!.localIp, port: bound.port } }, Date.now()));
  }

  // Something threw while a relay was being bound: the client gets 508 (if it still waits) and no socket leaks.
  private relayBindFailed(allocation: Allocation, err: unknown): void {
    const { guard, core } = this.t;
    guard.note('relay-bind', err);
    guard.run('relay-bind', () => {
      if (allocation.state === 'active') return; // it completed; what threw came after
      this.releaseRelaySocket(allocation);
      if (allocation.state === 'binding') this.run(core.relayBound(allocation, null, Date.now()));
    });
  }

  private releaseRelaySocket(allocation: Allocation): void {
    const socket = allocation.handle as RelaySocket | null;
    allocation.handle = null;
    if (!socket) return;
    socket[kAllocation] = undefined;
    this.t.pool.release(socket.address().port);
    socket.close();
  }
}
