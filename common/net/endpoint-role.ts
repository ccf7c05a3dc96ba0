// Which of an RFC 5780 server's (up to four) transport addresses a packet used: the primary one, or a change of
// port, IP or both (RFC 5780 §4.2, CHANGE-REQUEST and OTHER-ADDRESS). The TURN server's listeners, the probe and
// the page's NAT classification all say it with this one type.

export type EndpointRole = 'primary' | 'alt-port' | 'alt-ip' | 'alt-ip-port';
export const ENDPOINT_ROLES: readonly EndpointRole[] = ['primary', 'alt-port', 'alt-ip', 'alt-ip-port'];
