import type { z } from 'zod';
import { daemonGetStatus } from './daemon.js';
import { identityStoreCreate, identityStoreGet, identityStoreRemove, identityStoreSet } from './identity-store.js';
import { identityStorePortalAdd, identityStorePortalGet, identityStorePortalRemove } from './identity-store-portal.js';
import {
  managedByLifecycleNotificationGet, managedByLifecycleNotificationSet, membershipLifecycleNotificationGet, membershipLifecycleNotificationSet,
} from './lifecycle-notification.js';
import { notificationRecipientsGet, notificationRecipientsSet } from './notification-recipients.js';
import {
  notificationSettingsClear, notificationSettingsExport, notificationSettingsGet, notificationSettingsImport, notificationSettingsSet,
} from './notification-settings.js';
import { passwordExpiryNotificationGet, passwordExpiryNotificationSet } from './password-expiry-notification.js';
import { settingsHistoryGet } from './settings-history.js';
import { notificationHistoryGet, notificationQueueGet, notificationQueueRemove, notificationQueueSend, notificationSend } from './notification-queue.js';
import { smtpServerClear, smtpServerGet, smtpServerSet } from './smtp-server.js';
import { smtpServerTest } from './smtp-test.js';

/**
 * Every RPC method, declared once, sorted by name (a contract test keeps it so). The
 * dispatcher, the cmdlets, help and the OpenRPC document are all derived from this table.
 */
export const METHODS = {
  'daemon.getStatus': daemonGetStatus,
  'identityStore.create': identityStoreCreate,
  'identityStore.get': identityStoreGet,
  'identityStore.remove': identityStoreRemove,
  'identityStore.set': identityStoreSet,
  'identityStorePortal.add': identityStorePortalAdd,
  'identityStorePortal.get': identityStorePortalGet,
  'identityStorePortal.remove': identityStorePortalRemove,
  'managedByLifecycleNotification.get': managedByLifecycleNotificationGet,
  'managedByLifecycleNotification.set': managedByLifecycleNotificationSet,
  'membershipLifecycleNotification.get': membershipLifecycleNotificationGet,
  'membershipLifecycleNotification.set': membershipLifecycleNotificationSet,
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
  'passwordExpiryNotification.get': passwordExpiryNotificationGet,
  'passwordExpiryNotification.set': passwordExpiryNotificationSet,
  'settingsHistory.get': settingsHistoryGet,
  'smtpServer.clear': smtpServerClear,
  'smtpServer.get': smtpServerGet,
  'smtpServer.set': smtpServerSet,
  'smtpServer.test': smtpServerTest,
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

export * from './daemon.js';
export * from './identity-store.js';
export * from './identity-store-portal.js';
export * from './lifecycle-notification.js';
export * from './notification-recipients.js';
export * from './notification-settings.js';
export * from './password-expiry-notification.js';
export * from './settings-history.js';
export * from './notification-queue.js';
export * from './smtp-server.js';
export * from './smtp-test.js';
