// Starts a worker thread running a TypeScript module (see ts-worker-entry.mjs for why it needs an entry file).
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTsWorker(tsEntry: URL, workerData: Record<string, unknown>, options: Omit<WorkerOptions, 'workerData'> = {}): Worker {
  return new Worker(new URL('./ts-worker-entry.mjs', import.meta.url), { ...options, workerData: { ...workerData, tsEntry: tsEntry.href } });
}
