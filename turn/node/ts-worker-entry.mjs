// Entry of every TypeScript worker thread: on Node 20 a worker does not inherit the tsx loader of `node --import
// tsx`, so register it here, then load the module named in `workerData.tsEntry` (a file URL).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.tsEntry);
