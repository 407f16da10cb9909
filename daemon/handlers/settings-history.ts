import type { SettingsHistoryEntry } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { prepared } from '../sql.js';
import { requireStore } from './identity-store.js';

interface HistoryRow {
  id: number;
  at: string;
  store_name: string;
  actor: string;
  method: string;
  section: SettingsHistoryEntry['section'];
  field: string;
  old_value: string | null;
  new_value: string | null;
  secret: number;
}

function toEntry(row: HistoryRow): SettingsHistoryEntry {
  return {
    id: row.id,
    at: row.at,
    identityStore: row.store_name,
    actor: row.actor,
    method: row.method,
    section: row.section,
    field: row.field,
    // A secret's entry says only that it changed.
    oldValue: row.secret ? null : JSON.parse(row.old_value ?? 'null'),
    newValue: row.secret ? '(secret changed)' : JSON.parse(row.new_value ?? 'null'),
    secret: row.secret === 1,
  };
}

export function settingsHistoryHandlers({ db }: Services) {
  const get: Handler<'settingsHistory.get'> = ({ identityStore, first = 100 }) => {
    if (identityStore === undefined) {
      return (prepared(db, 'SELECT * FROM settings_history ORDER BY id DESC LIMIT ?').all(first) as HistoryRow[]).map(toEntry);
    }
    const store = requireStore(db, identityStore, 'identityStore');
    return (prepared(db, 'SELECT * FROM settings_history WHERE store_id = ? ORDER BY id DESC LIMIT ?').all(store.id, first) as HistoryRow[]).map(toEntry);
  };
  return { 'settingsHistory.get': get };
}
