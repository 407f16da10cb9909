import type { Handlers, Services } from '../context.js';
import { additionalLinkHandlers } from './additional-link.js';
import { apiTokenHandlers } from './api-token.js';
import { changeHistoryHandlers } from './change-history.js';
import { contactHandlers } from './contact.js';
import { daemonHandlers } from './daemon-status.js';
import { directoryImportHandlers } from './directory-import.js';
import { directoryObjectHandlers } from './directory-object.js';
import { groupHandlers } from './group.js';
import { groupMemberHandlers } from './group-member.js';
import { identityStoreHandlers } from './identity-store.js';
import { identityStoreConnectionHandlers } from './identity-store-connection.js';
import { identityStorePortalHandlers } from './identity-store-portal.js';
import { notificationQueueHandlers } from './notification-queue.js';
import { notificationResolveHandlers } from './notification-resolve.js';
import { scheduleHandlers } from './schedule.js';
import { sessionHandlers } from './session.js';
import { smartGroupHandlers } from './smart-group.js';
import { notificationSectionHandlers } from './notification-sections.js';
import { notificationSettingsHandlers } from './notification-settings.js';
import { notificationTemplateHandlers } from './notification-template.js';
import { settingsHistoryHandlers } from './settings-history.js';
import { smtpServerHandlers } from './smtp-server.js';
import { userHandlers } from './user.js';

/** Every method's handler; the Handlers type makes a missing one a compile error. */
export function createHandlers(services: Services): Handlers {
  return {
    ...daemonHandlers(services),
    ...identityStoreHandlers(services),
    ...identityStoreConnectionHandlers(services),
    ...identityStorePortalHandlers(services),
    ...smtpServerHandlers(services),
    ...notificationSectionHandlers(services),
    ...notificationSettingsHandlers(services),
    ...notificationTemplateHandlers(services),
    ...settingsHistoryHandlers(services),
    ...notificationQueueHandlers(services),
    ...notificationResolveHandlers(services),
    ...sessionHandlers(services),
    ...userHandlers(services),
    ...groupHandlers(services),
    ...contactHandlers(services),
    ...directoryObjectHandlers(services),
    ...groupMemberHandlers(services),
    ...directoryImportHandlers(services),
    ...changeHistoryHandlers(services),
    ...apiTokenHandlers(services),
    ...scheduleHandlers(services),
    ...additionalLinkHandlers(services),
    ...smartGroupHandlers(services),
  };
}
