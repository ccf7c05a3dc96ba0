// Prometheus metrics for the TURN server, read from the core's counters at scrape time (no per-packet cost).
import { Counter, Gauge, Registry } from 'prom-client';
import type { TurnCore } from '../core/turn-core';

export interface AdapterCounts {
  tcpConnections: number;
  tcpRefused: number;
  tlsFailures: number;
  handlerErrors: ReadonlyMap<string, number>;
}

export function createTurnMetrics(core: TurnCore, extra: () => AdapterCounts): Registry {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(read()); } });
  /** Counters mirrored from the core's monotonic totals. */
  const counter = (name: string, help: string, labelNames: string[], read: () => Array<[Record<string, string>, number]>) =>
    new Counter({
      name, help, labelNames, registers,
      collect() {
        this.reset();
        for (const [labels, v] of read()) if (v > 0) this.inc(labels, v);
      },
    });

  gauge('p2pcheck_turn_allocations', 'Active TURN allocations', () => core.counters().allocations);
  gauge('p2pcheck_turn_permissions', 'Active permissions over all allocations', () => core.permissionCount);
  gauge('p2pcheck_turn_channels', 'Active channel bindings over all allocations', () => core.channelCount);
  gauge('p2pcheck_turn_tcp_connections', 'Open TURN client connections over TCP/TLS', () => extra().tcpConnections);
  counter('p2pcheck_turn_allocations_created_total', 'Allocations created since start', [], () => [[{}, core.stats.allocationsCreated]]);
  counter('p2pcheck_turn_allocations_closed_total', 'Allocations ended since start', [], () => [[{}, core.stats.allocationsClosed]]);
  counter('p2pcheck_turn_relayed_packets_total', 'Packets relayed', ['direction'], () => [
    [{ direction: 'to_peer' }, core.stats.packetsToPeer],
    [{ direction: 'to_client' }, core.stats.packetsToClient],
  ]);
  counter('p2pcheck_turn_relayed_bytes_total', 'Payload bytes relayed', ['direction'], () => [
    [{ direction: 'to_peer' }, core.stats.bytesToPeer],
    [{ direction: 'to_client' }, core.stats.bytesToClient],
  ]);
  counter('p2pcheck_turn_challenges_total', '401 challenges to requests without credentials', [], () => [[{}, core.stats.challenges]]);
  counter('p2pcheck_turn_auth_failures_total', 'Requests whose credentials were refused', ['reason'], () =>
    Object.entries(core.stats.authFailures).map(([reason, v]) => [{ reason }, v]));
  counter('p2pcheck_turn_error_responses_total', 'Error responses sent, by STUN error code', ['code'], () =>
    [...core.stats.errorResponses].map(([code, v]) => [{ code: String(code) }, v]));
  counter('p2pcheck_turn_dropped_packets_total', 'Packets dropped, by reason', ['reason'], () =>
    Object.entries(core.stats.dropped).map(([reason, v]) => [{ reason }, v]));
  counter('p2pcheck_turn_tcp_refused_total', 'TCP/TLS connections closed at once: their source was at TURN_MAX_TCP_PER_IP', [], () => [[{}, extra().tcpRefused]]);
  counter('p2pcheck_turn_tls_handshake_failures_total', 'TLS handshakes that failed or timed out (TURN_TLS_HANDSHAKE_TIMEOUT)', [], () => [[{}, extra().tlsFailures]]);
  counter('p2pcheck_turn_handler_errors_total', 'Exceptions caught at the socket adapter boundary (the input was dropped, the process lived on), by site', ['where'], () =>
    [...extra().handlerErrors].map(([where, v]) => [{ where }, v]));
  counter('p2pcheck_turn_quota_refusals_total', 'Allocate requests refused with 486, by the quota that was full (total, user, source)', ['quota'], () =>
    Object.entries(core.stats.quotaRefusals).map(([quota, v]) => [{ quota }, v]));
  counter('p2pcheck_turn_peer_send_errors_total', 'Failed sends towards peers (allocation kept)', ['code'], () =>
    [...core.stats.peerSendErrors].map(([code, v]) => [{ code }, v]));
  return registry;
}
