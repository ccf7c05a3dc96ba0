// Before any e2e worker starts: remove namespaces that a crashed earlier run left behind. Worker namespaces
// carry the worker's pid; those of a live process belong to a run still going on and are left alone.
import { E2E_PREFIX, canUseNetns, listNamespaces, removeNamespaces } from './support/netns';

function ownerAlive(ns: string): boolean {
  const pid = /-(\d+)(?:-sink)?$/.exec(ns)?.[1];
  if (!pid) return false;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

export default function globalSetup(): void {
  if (canUseNetns().ok) removeNamespaces(listNamespaces(E2E_PREFIX).filter((ns) => !ownerAlive(ns)));
}
