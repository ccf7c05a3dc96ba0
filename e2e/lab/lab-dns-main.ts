// Entry of the lab's DNS responder (started by startLabDns in lab-dns-server.ts): argv = address, zone JSON.
import { serveLabDns } from './lab-dns-server';

const [address, zoneJson] = process.argv.slice(2);
if (!address || !zoneJson) {
  console.error('usage: lab-dns-main.ts <address> <zone json>');
  process.exit(2);
}
await serveLabDns(address, JSON.parse(zoneJson));
console.log('ready');
