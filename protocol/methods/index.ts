import type { z } from 'zod';
import { groupOwnerAdd, groupOwnerGet, groupOwnerRemove, userManagerAdd, userManagerGet, userManagerRemove } from './additional-link.js';
import { apiTokenCreate, apiTokenGet, apiTokenRemove } from './api-token.js';
import { changeHistoryGet } from './change-history.js';
import { contactCreate, contactGet, contactRemove, contactSet } from './contact.js';
import { daemonGetStatus } from './daemon.js';
import { directoryObjectImport } from './directory-import.js';
import { directoryObjectSearch } from './directory-object.js';
import { groupCreate, groupGet, groupRemove, groupSet } from './group.js';
import { groupMemberAdd, groupMemberGet, groupMemberRemove, groupMemberSet } from './group-member.js';
import { identityStoreCreate, identityStoreGet, identityStoreRemove, identityStoreSet } from './identity-store.js';
import { identityStoreSync, identityStoreTestConnection } from './identity-store-connection.js';
import { identityStorePortalAdd, identityStorePortalGet, identityStorePortalRemove } from './identity-store-portal.js';
import {
  managedByLifecycleNotificationGet, managedByLifecycleNotificationSet, membershipLifecycleNotificationGet, membershipLifecycleNotificationSet,
} from './lifecycle-notification.js';
import { notificationRecipientsGet, notificationRecipientsSet } from './notification-recipients.js';
import { notificationResolve } from './notification-resolve.js';
import {
  notificationSettingsClear, notificationSettingsExport, notificationSettingsGet, notificationSettingsImport, notificationSettingsSet,
} from './notification-settings.js';
import { notificationTemplateGet, notificationTemplateRender, notificationTemplateSet } from './notification-template.js';
import { passwordExpiryNotificationGet, passwordExpiryNotificationSet } from './password-expiry-notification.js';
import { scheduleGet, scheduleInvoke, testClockSet } from './schedule.js';
import { groupUpdate, smartGroupCreate, smartGroupGet, smartGroupSet } from './smart-group.js';
import { sessionConnect, sessionDisconnect, sessionGet } from './session.js';
import { settingsHistoryGet } from './settings-history.js';
import { notificationHistoryGet, notificationQueueGet, notificationQueueRemove, notificationQueueSend, notificationSend } from './notification-queue.js';
import { smtpServerClear, smtpServerGet, smtpServerSet } from './smtp-server.js';
import { smtpServerTest } from './smtp-test.js';
import { userCreate, userGet, userRemove, userSet } from './user.js';

/**
 * Every RPC method, declared once, sorted by name (a contract test keeps it so). The
 * dispatcher, the cmdlets, help and the OpenRPC document are all derived from this table.
 */
export const METHODS = {
  'apiToken.create': apiTokenCreate,
  'apiToken.get': apiTokenGet,
  'apiToken.remove': apiTokenRemove,
  'changeHistory.get': changeHistoryGet,
  'contact.create': contactCreate,
  'contact.get': contactGet,
  'contact.remove': contactRemove,
  'contact.set': contactSet,
  'daemon.getStatus': daemonGetStatus,
  'directoryObject.import': directoryObjectImport,
  'directoryObject.search': directoryObjectSearch,
  'group.create': groupCreate,
  'group.get': groupGet,
  'group.remove': groupRemove,
  'group.set': groupSet,
  'group.update': groupUpdate,
  'groupMember.add': groupMemberAdd,
  'groupMember.get': groupMemberGet,
  'groupMember.remove': groupMemberRemove,
  'groupMember.set': groupMemberSet,
  'groupOwner.add': groupOwnerAdd,
  'groupOwner.get': groupOwnerGet,
  'groupOwner.remove': groupOwnerRemove,
  'identityStore.create': identityStoreCreate,
  'identityStore.get': identityStoreGet,
  'identityStore.remove': identityStoreRemove,
  'identityStore.set': identityStoreSet,
  'identityStore.sync': identityStoreSync,
  'identityStore.testConnection': identityStoreTestConnection,
  'identityStorePortal.add': identityStorePortalAdd,
  'identityStorePortal.get': identityStorePortalGet,
  'identityStorePortal.remove': identityStorePortalRemove,
  'managedByLifecycleNotification.get': managedByLifecycleNotificationGet,
  'managedByLifecycleNotification.set': managedByLifecycleNotificationSet,
  'membershipLifecycleNotification.get': membershipLifecycleNotificationGet,
  'membershipLifecycleNotification.set': membershipLifecycleNotificationSet,
  'notification.resolve': notificationResolve,
  'notification.send': notificationSend,
  'notificationHistory.get': notificationHistoryGet,
  'notificationQueue.get': notificationQueueGet,
  'notificationQueue.remove': notificationQueueRemove,
  'notificationQueue.send': notificationQueueSend,
  'notificationRecipients.get': notificationRecipientsGet,
  'notificationRecipients.set': notificationRecipientsSet,
  'notificationSettings.clear': notificationSettingsClear,
  'notificationSettings.export': notificationSettingsExport,
  'notificationSettings.get': notificationSettingsGet,
  'notificationSettings.import': notificationSettingsImport,
  'notificationSettings.set': notificationSettingsSet,
  'notificationTemplate.get': notificationTemplateGet,
  'notificationTemplate.render': notificationTemplateRender,
  'notificationTemplate.set': notificationTemplateSet,
  'passwordExpiryNotification.get': passwordExpiryNotificationGet,
  'passwordExpiryNotification.set': passwordExpiryNotificationSet,
  'schedule.get': scheduleGet,
  'schedule.invoke': scheduleInvoke,
  'session.connect': sessionConnect,
  'session.disconnect': sessionDisconnect,
  'session.get': sessionGet,
  'settingsHistory.get': settingsHistoryGet,
  'smartGroup.create': smartGroupCreate,
  'smartGroup.get': smartGroupGet,
  'smartGroup.set': smartGroupSet,
  'smtpServer.clear': smtpServerClear,
  'smtpServer.get': smtpServerGet,
  'smtpServer.set': smtpServerSet,
  'smtpServer.test': smtpServerTest,
  'testClock.set': testClockSet,
  'user.create': userCreate,
  'user.get': userGet,
  'user.remove': userRemove,
  'user.set': userSet,
  'userManager.add': userManagerAdd,
  'userManager.get': userManagerGet,
  'userManager.remove': userManagerRemove,
} as const;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
/** What a caller may send (defaults and optional fields still optional). */
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
/** What a handler receives, after validation and defaults. */
export type ValidParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

export * from './additional-link.js';
export * from './api-token.js';
export * from './change-history.js';
export * from './contact.js';
export * from './daemon.js';
export * from './directory-import.js';
export * from './directory-object.js';
export * from './group.js';
export * from './group-member.js';
export * from './identity-store.js';
export * from './identity-store-portal.js';
export * from './lifecycle-notification.js';
export * from './notification-recipients.js';
export * from './notification-settings.js';
export * from './notification-template.js';
export * from './password-expiry-notification.js';
export * from './schedule.js';
export * from './session.js';
export * from './smart-group.js';
export * from './settings-history.js';
export * from './notification-queue.js';
export * from './notification-resolve.js';
export * from './smtp-server.js';
export * from './smtp-test.js';
export * from './user.js';
