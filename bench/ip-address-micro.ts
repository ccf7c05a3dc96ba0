// Micro-benchmark of the IP parser on the TURN hot path (ipToBytes, bytesToIp), run by hand:
//   npx tsx bench/ip-address-micro.ts [module path]
// Bounded: a fixed number of calls per round, 7 rounds; prints the median ns per call of each case.
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Parser {
  ipToBytes(ip: string): Uint8Array | null;
  bytesToIp(b: never): string;
}

const modulePath = resolve(process.argv[2] ?? 'common/net/ip-address.ts');
const { ipToBytes, bytesToIp } = (await import(pathToFileURL(modulePath).href)) as Parser;

const ROUNDS = 7;
const CASES: [string, string[], number][] = [
  ['ipToBytes IPv4', ['203.0.113.5', '10.0.0.1', '192.168.100.254', '8.8.8.8'], 2_000_000],
  ['ipToBytes IPv6', ['2001:db8::1', '2a00:1450:4001:81b::200e', 'fe80::1%eth0', '::ffff:10.0.0.1'], 500_000],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

let sink = 0;
for (const [name, inputs, calls] of CASES) {
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) sink += ipToBytes(inputs[i & 3]!)!.length;
    perCall.push(((performance.now() - t0) * 1e6) / calls);
  }
  console.log(`${name}: ${median(perCall).toFixed(1)} ns/call (median of ${ROUNDS} rounds of ${calls})`);
}
const v6 = ['2001:db8::1', '2a00:1450:4001:81b::200e', 'fe80::1', '::ffff:10.0.0.1'].map((a) => ipToBytes(a)!);
const perCall: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 500_000; i++) sink += bytesToIp(v6[i & 3] as never).length;
  perCall.push(((performance.now() - t0) * 1e6) / 500_000);
}
console.log(`bytesToIp IPv6: ${median(perCall).toFixed(1)} ns/call (median of ${ROUNDS} rounds of 500000)`);
if (sink === 42) console.log('');
