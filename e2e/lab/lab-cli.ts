// `tsx e2e/lab/lab-cli.ts up|down|check|hosts` — build, remove or inspect the NAT lab by hand.
// `npm run lab` (scripts/lab.ts) does up → classify → matrix → table → down in one go.
import { chromiumWrapper, labDown, labLockHolder, labPreflight, labSmokeCheck, labUp } from './lab-builder';
import { LAB, labServerUrl } from './lab-topology';

const command = process.argv[2] ?? 'help';
const reason = labPreflight();
if (reason && command !== 'hosts') {
  console.error(`lab: ${reason}`);
  process.exit(2);
}
const holder = labLockHolder();
if (holder && (command === 'up' || command === 'down')) {
  console.error(`lab: in use by a test run (pid ${holder}); not touching it`);
  process.exit(3);
}
switch (command) {
  case 'up': {
    labUp();
    const problems = await labSmokeCheck();
    console.log(`lab up: ${LAB.hosts.length} hosts, ${LAB.routers.length} routers; server at ${labServerUrl()} (ns ${LAB.server.ns})`);
    for (const p of problems) console.error(`  problem: ${p}`);
    process.exit(problems.length ? 1 : 0);
  }
  case 'down':
    labDown();
    console.log('lab down');
    break;
  case 'check': {
    const problems = await labSmokeCheck();
    for (const p of problems) console.error(`  problem: ${p}`);
    console.log(problems.length ? `${problems.length} problem(s)` : 'lab ok');
    process.exit(problems.length ? 1 : 0);
  }
  case 'hosts':
    for (const h of LAB.hosts) console.log(`${h.name.padEnd(18)} ${h.kind.padEnd(16)} ns=${h.ns.padEnd(24)} ${h.address.padEnd(15)} public=${h.publicAddress}  chromium=${chromiumWrapper(h)}`);
    break;
  default:
    console.log('usage: tsx e2e/lab/lab-cli.ts up|down|check|hosts');
}
