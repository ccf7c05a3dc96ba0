// The floor of Node's dgram on this machine: a forwarder with no TURN logic (one recvmsg + one sendmsg per
// datagram), to compare with the TURN server's cost per relayed packet. Run pinned and drive it with udp-flood:
//   taskset -c 1 npx tsx bench/node-udp-forwarder.ts 34777 34779 [callback]
//   taskset -c 0 /tmp/p2pcheck-bench/udp-flood flood 34777 100000 3000 100 34778 34779
// `callback` passes a send callback as the TURN server does for peer sends (to count send errors).
import { createSocket } from 'node:dgram';

const [listenPort, toPort] = process.argv.slice(2, 4).map(Number) as [number, number];
const withCallback = process.argv[4] === 'callback';
const socket = createSocket({ type: 'udp4', recvBufferSize: 4 << 20, lookup: (a, _o, cb) => cb(null, a, 4) });
const onSent = (err: Error | null) => {
  if (err) console.error((err as NodeJS.ErrnoException).code);
};
socket.on('message', withCallback ? (m: Buffer) => socket.send(m, toPort, '127.0.0.1', onSent) : (m: Buffer) => socket.send(m, toPort, '127.0.0.1'));
socket.bind(listenPort, '127.0.0.1', () => console.error(`forwarding 127.0.0.1:${listenPort} → :${toPort}${withCallback ? ' (with send callback)' : ''}; Ctrl-C stops`));
