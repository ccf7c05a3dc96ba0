// Parses an ICE candidate attribute (RFC 8839 §5.1): "candidate:<foundation> <component> <transport>
// <priority> <address> <port> typ <type> [raddr <a> rport <p>] [tcptype <t>] …".
import type { CandidateType } from '../../common/report';

export interface ParsedCandidate {
  foundation: string;
  component: number;
  protocol: 'udp' | 'tcp';
  priority: number;
  address: string;
  port: number;
  type: CandidateType;
  relatedAddress: string | null;
  relatedPort: number | null;
  tcpType: string | null;
}

const TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];

export function parseCandidateLine(line: string): ParsedCandidate | null {
  const parts = line.trim().replace(/^a=/, '').replace(/^candidate:/, '').split(/\s+/);
  if (parts.length < 8 || parts[6] !== 'typ') return null;
  const [foundation, component, transport, priority, address, port, , type] = parts as [string, string, string, string, string, string, string, string];
  const protocol = transport.toLowerCase();
  if ((protocol !== 'udp' && protocol !== 'tcp') || !TYPES.includes(type)) return null;
  const extras = new Map<string, string>();
  for (let i = 8; i + 1 < parts.length; i += 2) extras.set(parts[i]!, parts[i + 1]!);
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  const componentN = num(component);
  const priorityN = num(priority);
  const portN = num(port);
  if (componentN === null || priorityN === null || portN === null) return null;
  return {
    foundation,
    component: componentN,
    protocol,
    priority: priorityN,
    address,
    port: portN,
    type: type as CandidateType,
    relatedAddress: extras.get('raddr') ?? null,
    relatedPort: num(extras.get('rport')),
    tcpType: extras.get('tcptype') ?? null,
  };
}

/** Priority split as RFC 8445 §5.1.2.1 builds it: type preference | local preference | 256 − component. */
export function splitPriority(priority: number): { typePref: number; localPref: number; component: number } {
  return { typePref: Math.floor(priority / 2 ** 24), localPref: Math.floor(priority / 2 ** 8) & 0xffff, component: 256 - (priority & 0xff) };
}
