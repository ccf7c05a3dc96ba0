// Wires the probe peer into a running p2pcheck: its HTTP route (to pass to startApp) and, once the app runs,
// the TURN server's probe hooks (interceptor + sendFrom) as the service's transport.
//
//   const probe = createProbeFeature();
//   const app = await startApp(env, [probe.route]);
//   probe.attach(app, env);
import type { ProbeHooks } from '../../turn/node/probe-hooks';
import type { TrustedProxies } from '../http/client-address';
import { probeAddressSource, type Resolve } from './probe-address';
import { ProbeRegistry, type ProbeLimits } from './probe-registry';
import { probeRoutes } from './probe-routes';
import { ProbeService } from './probe-service';
import type { EndpointRole } from '../../common/net/endpoint-role';

/** The parts of RunningApp the probe needs (structural, so tests can pass a fake). */
export interface ProbeHost {
  config: { iceHost: string | null; trustProxy?: TrustedProxies };
  turn: { udpPort: number; altPort: number | null; probe?: ProbeHooks } | null;
}

export interface ProbeFeature {
  service: ProbeService;
  route: ReturnType<typeof probeRoutes>;
  attach(app: ProbeHost, env: NodeJS.ProcessEnv): void;
  detach(): void;
}

/** Which server sockets exist: alternate port (RFC 5780 with one IP), and the alternate IP when configured. */
function availableVias(altPort: number | null, altIp: string | null | undefined): EndpointRole[] {
  const vias: EndpointRole[] = ['primary'];
  if (altPort !== null) vias.push('alt-port');
  if (altIp) {
    vias.push('alt-ip');
    if (altPort !== null) vias.push('alt-ip-port');
  }
  return vias;
}

export function createProbeFeature(opts: { limits?: ProbeLimits; resolve?: Resolve } = {}): ProbeFeature {
  const service = new ProbeService({ registry: new ProbeRegistry(opts.limits) });
  let host: ProbeHost | null = null;
  let hooks: ProbeHooks | null = null;
  let addressConfig = { iceHost: null as string | null, externalIp: null as string | null, turnListen: null as string | null };
  const route = probeRoutes({
    service,
    candidateAddress: probeAddressSource(() => addressConfig, opts.resolve),
    primaryPort: () => host?.turn?.udpPort ?? null,
    trustedProxies: () => host?.config.trustProxy ?? null,
  });
  return {
    service,
    route,
    attach(app, env) {
      host = app;
      // TURN_* values were validated by the TURN server's configuration before it started.
      addressConfig = { iceHost: app.config.iceHost, externalIp: env.TURN_EXTERNAL_IP?.trim() || null, turnListen: env.TURN_LISTEN?.trim() || null };
      const probe = app.turn?.probe;
      if (!app.turn || !probe) return;
      hooks = probe;
      const vias = availableVias(app.turn.altPort, env.TURN_ALT_IP);
      service.attach({
        vias: () => vias,
        sendFrom(via, to, packet) {
          try {
            probe.sendFrom(via, to, packet);
          } catch {
            // An endpoint that is not configured or a send error: the check simply goes unanswered.
          }
        },
      });
      probe.setInterceptor((packet, from, via) => service.onDatagram(packet, from, via));
    },
    detach() {
      hooks?.setInterceptor(null);
      hooks = null;
    },
  };
}
