// Wires the probe peer into a running p2pcheck: its HTTP route (to pass to startApp) and, once the app runs,
// the TURN server's probe hooks (interceptor + sendFrom) as the service's transport.
//
//   const probe = createProbeFeature();
//   const app = await startApp(env, [probe.route]);
//   probe.attach(app, env);
import type { ProbeHooks } from '../../turn/node/probe-hooks';
import { probeRoutes } from './probe-routes';
import { ProbeService } from './probe-service';
import type { ProbeVia } from './probe-session';

/** The parts of RunningApp the probe needs (structural, so tests can pass a fake). */
export interface ProbeHost {
  config: { iceHost: string | null };
  turn: { udpPort: number; altPort: number | null; probe?: ProbeHooks } | null;
}

export interface ProbeFeature {
  service: ProbeService;
  route: ReturnType<typeof probeRoutes>;
  attach(app: ProbeHost, env: NodeJS.ProcessEnv): void;
  detach(): void;
}

/** Which server sockets exist: alternate port (RFC 5780 with one IP), and the alternate IP when configured. */
export function availableVias(altPort: number | null, altIp: string | null | undefined): ProbeVia[] {
  const vias: ProbeVia[] = ['primary'];
  if (altPort !== null) vias.push('alt-port');
  if (altIp) {
    vias.push('alt-ip');
    if (altPort !== null) vias.push('alt-ip-port');
  }
  return vias;
}

export function createProbeFeature(): ProbeFeature {
  const service = new ProbeService();
  let host: ProbeHost | null = null;
  let hooks: ProbeHooks | null = null;
  const route = probeRoutes({
    service,
    iceHost: () => host?.config.iceHost ?? null,
    primaryPort: () => host?.turn?.udpPort ?? null,
  });
  return {
    service,
    route,
    attach(app, env) {
      host = app;
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
