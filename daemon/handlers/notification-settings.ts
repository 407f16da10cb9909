import {
  CLEAR_SETS, DEFAULT_SETTINGS, FIELD_NAMES, FIELD_SCHEMAS, FIELD_SECTION, HeraldError, NOTIFICATION_FIELDS, SETTINGS_EXPORT_FORMAT,
  type NotificationField, type Section, type StoredSettings,
} from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { changeSettings, readState, type SettingsPatch } from '../settings/change.js';
import { settingsView } from '../settings/views.js';

const CLEAR_SET_SECTIONS: Record<(typeof CLEAR_SETS)[number], Section[]> = {
  All: ['Recipients', 'PasswordExpiry', 'MembershipLifecycle', 'ManagedByLifecycle'],
  Recipients: ['Recipients'],
  PasswordExpiry: ['PasswordExpiry'],
  ML: ['MembershipLifecycle'],
  MB: ['ManagedByLifecycle'],
};

function defaultsOf(fields: readonly (keyof StoredSettings)[]): SettingsPatch {
  return Object.fromEntries(fields.map((field) => [field, structuredClone(DEFAULT_SETTINGS[field])])) as SettingsPatch;
}

/** An imported document is checked field by field with the same schemas as a Set call. */
function importedSettings(document: Record<string, unknown>): StoredSettings {
  const settings = structuredClone(DEFAULT_SETTINGS) as Record<string, unknown>;
  for (const [field, value] of Object.entries(document)) {
    if (!(FIELD_NAMES as string[]).includes(field)) {
      throw new HeraldError('InvalidParams', `settings.settings has an unknown setting '${field}'`, { field: `settings.settings.${field}` });
    }
    const parsed = FIELD_SCHEMAS[field as keyof typeof FIELD_SCHEMAS].safeParse(value);
    if (!parsed.success) {
      throw new HeraldError('InvalidParams', `settings.settings.${field}: ${parsed.error.issues[0].message}`, { field: `settings.settings.${field}` });
    }
    settings[field] = parsed.data;
  }
  return settings as StoredSettings;
}

export function notificationSettingsHandlers(services: Services) {
  const get: Handler<'notificationSettings.get'> = ({ identityStore }) => settingsView(readState(services, identityStore));

  const set: Handler<'notificationSettings.set'> = (params, caller) =>
    settingsView(changeSettings(services, caller, 'notificationSettings.set', params.identityStore, () => {
      const patch: Record<string, unknown> = {};
      for (const field of NOTIFICATION_FIELDS) if (params[field] !== undefined) patch[field] = params[field];
      // The reference switch covered owners and managers at once.
      if (params.notifyOwners !== undefined) {
        for (const field of ['notifyGroupOwners', 'notifyManagers'] as const) {
          if (params[field] !== undefined && params[field] !== params.notifyOwners) {
            throw new HeraldError('ValidationFailed', `-NotifyOwners sets -${field[0].toUpperCase()}${field.slice(1)} too, and they disagree`, { field: 'notifyOwners' });
          }
          patch[field] = params.notifyOwners;
        }
      }
      return { patch: patch as SettingsPatch };
    }));

  const clear: Handler<'notificationSettings.clear'> = (params, caller) => {
    const fields = new Set<NotificationField>(NOTIFICATION_FIELDS.filter((field) => params[field] === true));
    if (params.notifyOwners) ['notifyGroupOwners', 'notifyManagers'].forEach((f) => fields.add(f as NotificationField));
    if (params.clearSet) {
      const sections = CLEAR_SET_SECTIONS[params.clearSet];
      for (const field of NOTIFICATION_FIELDS) if (sections.includes(FIELD_SECTION[field])) fields.add(field);
    }
    if (fields.size === 0) {
      throw new HeraldError('InvalidParams', 'name what to clear: -ClearSet All|Recipients|PasswordExpiry|ML|MB, or a switch per setting (e.g. -CarbonCopy)', { field: 'clearSet' });
    }
    return settingsView(changeSettings(services, caller, 'notificationSettings.clear', params.identityStore, () => ({ patch: defaultsOf([...fields]) })));
  };

  const exportSettings: Handler<'notificationSettings.export'> = ({ identityStore }) => {
    const { store, settings, secrets } = readState(services, identityStore);
    return {
      format: SETTINGS_EXPORT_FORMAT,
      version: 1,
      identityStore: store.name,
      exportedAt: services.clock().toISOString(),
      settings: { ...settings },
      secretsSet: { password: secrets.password, clientSecret: secrets.clientSecret },
    };
  };

  const importSettings: Handler<'notificationSettings.import'> = (params, caller) => {
    const settings = importedSettings(params.settings.settings);
    return settingsView(changeSettings(services, caller, 'notificationSettings.import', params.identityStore, () => ({
      patch: settings,
      reset: true,
      secrets: {
        ...(params.password !== undefined ? { password: params.password } : {}),
        ...(params.clientSecret !== undefined ? { clientSecret: params.clientSecret } : {}),
      },
    })));
  };

  return {
    'notificationSettings.get': get,
    'notificationSettings.set': set,
    'notificationSettings.clear': clear,
    'notificationSettings.export': exportSettings,
    'notificationSettings.import': importSettings,
  };
}
