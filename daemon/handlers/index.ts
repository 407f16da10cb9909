import type { Handlers, Services } from '../context.js';
import { daemonHandlers } from './daemon-status.js';
import { identityStoreHandlers } from './identity-store.js';
import { identityStorePortalHandlers } from './identity-store-portal.js';

/** Every method's handler; the Handlers type makes a missing one a compile error. */
export function createHandlers(services: Services): Handlers {
  return {
    ...daemonHandlers(services),
    ...identityStoreHandlers(services),
    ...identityStorePortalHandlers(services),
  };
}
