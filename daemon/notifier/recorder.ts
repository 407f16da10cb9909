import type { Db } from '../database.js';
import { prepared } from '../sql.js';
import type { ChangeEvent, ChangeRecorder } from './change-event.js';

/** Writes one change event; returns its id. */
export function insertChangeEvent(db: Db, event: ChangeEvent, at: string, mails: number): number {
  const related = event.related ? JSON.stringify({ guid: event.related.guid, name: event.related.name, kind: event.related.kind }) : null;
  const details = event.changes ? JSON.stringify(event.changes) : null;
  const { id } = prepared(db, `INSERT INTO change_event (store_id, store_name, at, actor, source, kind, object_guid, object_name, object_kind, related, details, mails)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
    .get(event.storeId, event.storeName, at, event.actor.name, event.source, event.kind, event.object.guid, event.object.name, event.object.kind, related, details, mails) as { id: number };
  return id;
}

/** The recorder the daemon runs with: the event, then the mails the store's settings ask for. */
export function createChangeRecorder(db: Db, clock: () => Date, notify: (event: ChangeEvent) => number = () => 0): ChangeRecorder {
  return {
    record(event) {
      // An import loads a directory rather than changing one people know: recorded, never mailed.
      const mails = event.source === 'import' ? 0 : notify(event);
      insertChangeEvent(db, event, clock().toISOString(), mails);
    },
  };
}
