import { DAY_MS } from '../../protocol/index.js';
import type { LinkKind } from '../directory/provider.js';
import { loadSettings } from '../settings/settings-store.js';
import type { Db } from '../database.js';
import { lifecycleRules } from './lifecycle-notices.js';
import { applyStep, remindStep, type LifecycleContext } from './link-lifecycle.js';
import { dueReminders, dueSteps, nextLeaving, nextStepDue, storeIds, type StepRow } from './lifecycle-steps.js';

export interface BatchCounts {
  applied: number;
  reminders: number;
  mails: number;
}

const FAMILIES: { representative: LinkKind; kinds: LinkKind[] }[] = [
  { representative: 'Member', kinds: ['Member'] },
  { representative: 'AdditionalOwner', kinds: ['AdditionalOwner', 'AdditionalManager'] },
];

/** Each store's reminder lead times, per family of links: how far ahead of a leaving step its reminder goes. */
function reminderLeads(db: Db): { storeId: number; kinds: LinkKind[]; leadMs: number }[] {
  return storeIds(db).flatMap((storeId) => {
    const settings = loadSettings(db, storeId);
    return FAMILIES.flatMap(({ representative, kinds }) => {
      const days = lifecycleRules(settings, representative).daysBefore;
      return days === null ? [] : [{ storeId, kinds, leadMs: days * DAY_MS }];
    });
  });
}

/**
 * One transaction's worth of life-cycle work at `at`: up to `limit` due steps, oldest first, or
 * when none is due, up to `limit` due reminders. Undefined when nothing is due. Small batches
 * keep the database free for calls in between; each batch commits the changes, the mails and
 * the idempotency keys together.
 */
export function lifecycleBatch(ctx: LifecycleContext, at: Date, limit: number): BatchCounts | undefined {
  return ctx.db.transaction((): BatchCounts | undefined => {
    const now = at.toISOString();
    const steps = dueSteps(ctx.db, now, limit);
    if (steps.length) return { applied: steps.length, reminders: 0, mails: steps.reduce((sum, step) => sum + applyStep(ctx, step, at), 0) };
    const reminders: StepRow[] = [];
    for (const { storeId, kinds, leadMs } of reminderLeads(ctx.db)) {
      if (reminders.length >= limit) break;
      reminders.push(...dueReminders(ctx.db, storeId, kinds, now, new Date(at.getTime() + leadMs).toISOString(), limit - reminders.length));
    }
    if (!reminders.length) return undefined;
    return { applied: 0, reminders: reminders.length, mails: reminders.reduce((sum, step) => sum + remindStep(ctx, step, at), 0) };
  })();
}

/** When life-cycle work next falls due: a step, or a reminder; undefined when nothing waits. */
export function nextLifecycleMoment(db: Db, at: Date): string | undefined {
  const now = at.toISOString();
  const moments = [nextStepDue(db)];
  for (const { storeId, kinds, leadMs } of reminderLeads(db)) {
    const leaving = nextLeaving(db, storeId, kinds, now);
    if (leaving !== undefined) moments.push(new Date(Date.parse(leaving) - leadMs).toISOString());
  }
  return moments.filter((moment): moment is string => moment !== undefined).sort()[0];
}
