import type { Handlers, Services } from '../context.js';
import { daemonHandlers } from './daemon-status.js';
import { identityStoreHandlers } from './identity-store.js';
import { identityStorePortalHandlers } from './identity-store-portal.js';
import { notificationQueueHandlers } from './notification-queue.js';
import { notificationSectionHandlers } from './notification-sections.js';
import { notificationSettingsHandlers } from './notification-settings.js';
import { settingsHistoryHandlers } from './settings-history.js';
import { smtpServerHandlers } from './smtp-server.js';

/** Every method's handler; the Handlers type makes a missing one a compile error. */
export function createHandlers(services: Services): Handlers {
  return {
    ...daemonHandlers(services),
    ...identityStoreHandlers(services),
    ...identityStorePortalHandlers(services),
    ...smtpServerHandlers(services),
    ...notificationSectionHandlers(services),
    ...notificationSettingsHandlers(services),
    ...settingsHistoryHandlers(services),
    ...notificationQueueHandlers(services),
  };
}
