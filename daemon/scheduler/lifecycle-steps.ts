import type { Db } from '../database.js';
import type { LinkKind } from '../directory/provider.js';
import { prepared } from '../sql.js';
import type { PlannedStep } from './lifecycle-plan.js';

/**
 * The steps the life cycle still has to take, kept by herald whatever holds the directory. A link
 * is named by its store, kind and the GUIDs of its two ends, so that the same table drives the
 * builtin directory and a directory server. A step's `applied_at` and `reminded_at` are its
 * idempotency keys: set in the transaction that applies it or queues its reminder, so that
 * neither happens twice, and a step not marked is taken after a crash or a restart.
 */
export interface LinkKey {
  storeId: number;
  kind: LinkKind;
  parentGuid: string;
  childGuid: string;
}

export interface StepRow {
  id: number;
  store_id: number;
  link_kind: LinkKind;
  parent_guid: string;
  child_guid: string;
  due_at: string;
  to_type: PlannedStep['toType'];
  to_start: string | null;
  to_end: string | null;
  leaves: number;
}

/** A change of type or dates replaces the steps still to come; steps taken stay as the record. */
export function replaceSteps(db: Db, link: LinkKey, steps: PlannedStep[]): void {
  prepared(db, 'DELETE FROM lifecycle_step WHERE store_id = ? AND link_kind = ? AND parent_guid = ? AND child_guid = ? AND applied_at IS NULL')
    .run(link.storeId, link.kind, link.parentGuid, link.childGuid);
  const insert = prepared(db, `INSERT INTO lifecycle_step (store_id, link_kind, parent_guid, child_guid, due_at, to_type, to_start, to_end, leaves)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const step of steps) {
    insert.run(link.storeId, link.kind, link.parentGuid, link.childGuid, step.dueAt, step.toType, step.toStart, step.toEnd, step.leaves ? 1 : 0);
  }
}

/** Steps due at `now`, oldest first: a window that opened and closed since the last run is taken in order. */
export function dueSteps(db: Db, now: string, limit: number): StepRow[] {
  return prepared(db, 'SELECT * FROM lifecycle_step WHERE applied_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?').all(now, limit) as StepRow[];
}

export function markApplied(db: Db, id: number, at: string, outcome: string): void {
  prepared(db, 'UPDATE lifecycle_step SET applied_at = ?, outcome = ? WHERE id = ?').run(at, outcome, id);
}

/**
 * A leaving step can be reminded of once it is the link's next step: someone not yet added is
 * not told that they are leaving.
 */
const NEXT_OF_ITS_LINK = `NOT EXISTS (SELECT 1 FROM lifecycle_step e WHERE e.store_id = s.store_id AND e.link_kind = s.link_kind
  AND e.parent_guid = s.parent_guid AND e.child_guid = s.child_guid AND e.applied_at IS NULL AND e.due_at < s.due_at)`;

/**
 * Leaving steps of a store and link family whose reminder is due: the step is still to come
 * (a reminder for a step already due is pointless: the step itself is taken now), is its link's
 * next step, and comes within `horizon`.
 */
export function dueReminders(db: Db, storeId: number, kinds: LinkKind[], now: string, horizon: string, limit: number): StepRow[] {
  return prepared(db, `SELECT * FROM lifecycle_step s INDEXED BY lifecycle_step_leaving WHERE store_id = ? AND applied_at IS NULL AND reminded_at IS NULL AND leaves = 1
      AND due_at > ? AND due_at <= ? AND link_kind IN (SELECT value FROM json_each(?)) AND ${NEXT_OF_ITS_LINK} ORDER BY due_at LIMIT ?`)
    .all(storeId, now, horizon, JSON.stringify(kinds), limit) as StepRow[];
}

export function markReminded(db: Db, id: number, at: string): void {
  prepared(db, 'UPDATE lifecycle_step SET reminded_at = ? WHERE id = ?').run(at, id);
}

/** When the next step falls due; undefined when none waits. */
export function nextStepDue(db: Db): string | undefined {
  return (prepared(db, 'SELECT min(due_at) AS due FROM lifecycle_step WHERE applied_at IS NULL').get() as { due: string | null }).due ?? undefined;
}

/** The first leaving step after `now` of a store and link family that can be reminded of and was not yet. */
export function nextLeaving(db: Db, storeId: number, kinds: LinkKind[], now: string): string | undefined {
  return (prepared(db, `SELECT min(due_at) AS due FROM lifecycle_step s INDEXED BY lifecycle_step_leaving WHERE store_id = ? AND applied_at IS NULL AND reminded_at IS NULL AND leaves = 1
      AND due_at > ? AND link_kind IN (SELECT value FROM json_each(?)) AND ${NEXT_OF_ITS_LINK}`).get(storeId, now, JSON.stringify(kinds)) as { due: string | null }).due ?? undefined;
}

/** The stores whose steps may need reminders: all of them (a handful), read without scanning the steps. */
export function storeIds(db: Db): number[] {
  return (prepared(db, 'SELECT id FROM identity_store ORDER BY id').all() as { id: number }[]).map((row) => row.id);
}
