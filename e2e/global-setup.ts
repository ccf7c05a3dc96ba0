// Before any e2e worker starts: remove namespaces a crashed earlier run left behind.
import { E2E_PREFIX, canUseNetns, listNamespaces, removeNamespaces } from './support/netns';

export default function globalSetup(): void {
  if (canUseNetns().ok) removeNamespaces(listNamespaces(E2E_PREFIX));
}
