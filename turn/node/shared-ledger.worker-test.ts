// Worker of shared-ledger.test.ts: 40 Allocate attempts for each of 10 users (each attempt from its own source), and
// 400 attempts of distinct users from one source all workers share, against the shared buffer.
import { parentPort, workerData } from 'node:worker_threads';
import { SharedLedger } from './shared-ledger';

const ledger = new SharedLedger(workerData.buffer as SharedArrayBuffer, { 4: [], 6: [] });
let granted = 0;
for (let round = 0; round < 40; round++) {
  for (let u = 0; u < 10; u++) {
    const attempt = `${workerData.id as number}-${round}-${u}`;
    if (ledger.tryAdd(`user-${u}`, `source-${attempt}`) === null) granted++;
    if (ledger.tryAdd(`user-${attempt}`, 'shared-source') === null) granted++;
  }
}
parentPort!.postMessage(granted);
