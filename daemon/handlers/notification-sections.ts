import { ALSO_NOTIFY, HeraldError } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { changeSettings, readState, type SettingsPatch } from '../settings/change.js';
import { ALSO_NOTIFY_FIELDS, managedByView, membershipView, passwordExpiryView, recipientsView } from '../settings/views.js';

/** Copies the given params into a patch under their stored names; absent params change nothing. */
function pick<P extends Record<string, unknown>>(params: P, names: Partial<Record<keyof P, keyof SettingsPatch>>): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const [param, field] of Object.entries(names) as [string, string][]) {
    if (params[param] !== undefined) patch[field] = params[param];
  }
  return patch as SettingsPatch;
}

export function notificationSectionHandlers(services: Services) {
  const recipientsGet: Handler<'notificationRecipients.get'> = ({ identityStore }) => recipientsView(readState(services, identityStore));
  const recipientsSet: Handler<'notificationRecipients.set'> = (params, caller) =>
    recipientsView(changeSettings(services, caller, 'notificationRecipients.set', params.identityStore, () => {
      const patch = pick(params, {
        to: 'to', cc: 'cc', notifyLoggedInUser: 'notifyLoggedInUser', notifyModifiedObject: 'notifyModifiedObject',
        notifyGroupOwners: 'notifyGroupOwners', notifyManagers: 'notifyManagers', notifyAddedMembers: 'notifyAddedMembers',
        notifyRemovedMembers: 'notifyRemovedMembers', notifyPublicGroupOwners: 'notifyPublicGroupOwners',
      });
      if (params.alsoNotify) {
        // The list says which switches are on; the others go off. A switch given too must agree.
        for (const name of ALSO_NOTIFY) {
          const field = ALSO_NOTIFY_FIELDS[name];
          const on = params.alsoNotify.includes(name);
          if (patch[field] !== undefined && patch[field] !== on) {
            throw new HeraldError('ValidationFailed', `-AlsoNotify ${on ? 'turns on' : 'leaves out'} ${name}, but -Notify${name} says ${String(patch[field])}`, { field: 'alsoNotify' });
          }
          patch[field] = on;
        }
      }
      return { patch };
    }));

  const portalGet: Handler<'passwordExpiryNotification.get'> = ({ identityStore }) => passwordExpiryView(readState(services, identityStore));
  const portalSet: Handler<'passwordExpiryNotification.set'> = ({ identityStore, portalUrl }, caller) =>
    passwordExpiryView(changeSettings(services, caller, 'passwordExpiryNotification.set', identityStore, () => ({ patch: { passwordPortalUrl: portalUrl } })));

  const membershipGet: Handler<'membershipLifecycleNotification.get'> = ({ identityStore }) => membershipView(readState(services, identityStore));
  const membershipSet: Handler<'membershipLifecycleNotification.set'> = (params, caller) =>
    membershipView(changeSettings(services, caller, 'membershipLifecycleNotification.set', params.identityStore, () => ({
      patch: pick(params, { onJoin: 'membershipOnJoin', onLeave: 'membershipOnLeave', daysBeforeLeave: 'membershipDaysBeforeLeave' }),
    })));

  const managedByGet: Handler<'managedByLifecycleNotification.get'> = ({ identityStore }) => managedByView(readState(services, identityStore));
  const managedBySet: Handler<'managedByLifecycleNotification.set'> = (params, caller) =>
    managedByView(changeSettings(services, caller, 'managedByLifecycleNotification.set', params.identityStore, () => ({
      patch: pick(params, {
        sameAsMembership: 'managedBySameAsMembership', onAdded: 'managedByOnAdded', onRemoved: 'managedByOnRemoved',
        daysBeforeRemoval: 'managedByDaysBeforeRemoval',
      }),
    })));

  return {
    'notificationRecipients.get': recipientsGet,
    'notificationRecipients.set': recipientsSet,
    'passwordExpiryNotification.get': portalGet,
    'passwordExpiryNotification.set': portalSet,
    'membershipLifecycleNotification.get': membershipGet,
    'membershipLifecycleNotification.set': membershipSet,
    'managedByLifecycleNotification.get': managedByGet,
    'managedByLifecycleNotification.set': managedBySet,
  };
}
