import { HeraldError, type ChangeHistoryEntry } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { prepared } from '../sql.js';
import { directoryStoreOf } from './directory-support.js';

interface EventRow {
  id: number;
  at: string;
  store_name: string;
  actor: string;
  source: string;
  kind: string;
  object_name: string;
  object_kind: string;
  related: string | null;
  details: string | null;
  mails: number;
}

function toEntry(row: EventRow): ChangeHistoryEntry {
  return {
    id: row.id, at: row.at, identityStore: row.store_name, actor: row.actor, source: row.source, kind: row.kind,
    object: row.object_name, objectKind: row.object_kind,
    related: row.related === null ? null : (JSON.parse(row.related) as { name: string }).name,
    details: row.details === null ? null : (JSON.parse(row.details) as ChangeHistoryEntry['details']),
    mails: row.mails,
  };
}

export function changeHistoryHandlers(services: Services) {
  const { db } = services;

  const get: Handler<'changeHistory.get'> = ({ identity, identityStore, since, first = 100 }) => {
    const where: string[] = [];
    const args: unknown[] = [];
    // Without a store and an object, every store's history, as Get-SettingsHistory lists it.
    const store = identity !== undefined || identityStore !== undefined ? directoryStoreOf(services, identityStore) : undefined;
    if (store) {
      where.push('store_id = ?');
      args.push(store.id);
    }
    if (store && identity !== undefined) {
      // By GUID, so that a renamed object keeps its history; a deleted one is found by the name
      // it last had in the history, since the directory no longer knows it.
      const guid = services.directory(store.id).find(identity)?.guid
        ?? (prepared(db, 'SELECT object_guid FROM change_event WHERE store_id = ? AND object_name = ? COLLATE NOCASE ORDER BY id DESC LIMIT 1')
          .get(store.id, identity) as { object_guid: string } | undefined)?.object_guid;
      if (guid === undefined) {
        throw new HeraldError('NotFound', `identity '${identity}' is neither in identity store '${store.name}' nor in its change history`, { field: 'identity' });
      }
      // Its own changes, and those that added or removed it as someone's member, owner or manager.
      where.push("(object_guid = ? OR json_extract(related, '$.guid') = ?)");
      args.push(guid, guid);
    }
    if (since !== undefined) {
      // Stored times are toISOString() text, which sorts as time does.
      where.push('at >= ?');
      args.push(new Date(since).toISOString());
    }
    const sql = `SELECT * FROM change_event ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (prepared(db, sql).all(...args, first) as EventRow[]).map(toEntry);
  };

  return { 'changeHistory.get': get };
}
