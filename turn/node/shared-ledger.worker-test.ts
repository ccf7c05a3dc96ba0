// Worker of shared-ledger.test.ts: 40 Allocate attempts for each of 10 users against the shared buffer.
import { parentPort, workerData } from 'node:worker_threads';
import { SharedLedger } from './shared-ledger';

const ledger = new SharedLedger(workerData.buffer as SharedArrayBuffer, { 4: [], 6: [] });
let granted = 0;
for (let round = 0; round < 40; round++) for (let u = 0; u < 10; u++) if (ledger.tryAdd(`user-${u}`)) granted++;
parentPort!.postMessage(granted);
