import { HeraldError } from '../../protocol/index.js';
import type { LinkType } from '../directory/provider.js';

/**
 * What a membership (or additional ownership or management) of a given type and dates is now,
 * and the steps that will change it later. The same rules whatever the directory: the
 * scheduler takes the steps, the provider only ever stores links.
 */
export interface PlannedStep {
  dueAt: string;
  /** What the link becomes; null: it goes. */
  toType: Extract<LinkType, 'Perpetual' | 'Temporary' | 'TemporaryRemoved'> | null;
  toStart: string | null;
  toEnd: string | null;
  /** The step takes the link out of effect: the "X days before" reminder is about it. */
  leaves: boolean;
}

export interface LinkPlan {
  type: LinkType;
  startDate: string | null;
  endDate: string | null;
  steps: PlannedStep[];
}

export interface LinkRequest {
  type?: string;
  startDate?: string | null;
  endDate?: string | null;
}

/** The reference product's spellings ('Temporary Member', 'Removal Pending', …) and herald's. */
const SPELLINGS: Record<string, LinkType> = {
  perpetual: 'Perpetual', temporary: 'Temporary', temporarymember: 'Temporary', additionpending: 'AdditionPending',
  removalpending: 'RemovalPending', temporaryremoved: 'TemporaryRemoved',
};

export function canonicalLinkType(text: string): LinkType {
  const type = SPELLINGS[text.replace(/\s+/g, '').toLowerCase()];
  if (!type) throw new HeraldError('InvalidParams', `type '${text}' is not a membership type: Perpetual, Temporary, AdditionPending, RemovalPending or TemporaryRemoved`, { field: 'type' });
  return type;
}

const IN_EFFECT = new Set<LinkType>(['Perpetual', 'Temporary', 'RemovalPending']);

/** Pending additions and temporary removals are not in effect (yet, or for now). */
export function typeInEffect(type: LinkType): boolean {
  return IN_EFFECT.has(type);
}

const invalid = (field: string, message: string, remedy?: string) => new HeraldError('ValidationFailed', message, { field, ...(remedy ? { remedy } : {}) });
const day = (iso: string) => iso.replace(/T00:00:00\.000Z$/, '').replace('.000Z', 'Z');

/**
 * The link a request asks for, checked: a pending change needs a date to come, an end comes
 * after the start, perpetual links have no dates. Without -Type, an addition (or removal) with
 * only an end date is temporary, one with a start date is pending.
 */
export function planLink(request: LinkRequest, action: 'add' | 'remove', now: string): LinkPlan {
  const start = request.startDate ?? null;
  const end = request.endDate ?? null;
  const type = request.type !== undefined ? canonicalLinkType(request.type)
    : start !== null ? (action === 'add' ? 'AdditionPending' : 'RemovalPending')
    : end !== null ? (action === 'add' ? 'Temporary' : 'TemporaryRemoved')
    : 'Perpetual';
  if (start !== null && end !== null && end <= start) throw invalid('endDate', `EndDate ${day(end)} must come after StartDate ${day(start)}`);
  switch (type) {
    case 'Perpetual':
      if (start !== null || end !== null) throw invalid(start !== null ? 'startDate' : 'endDate', 'a perpetual membership has no StartDate or EndDate', 'leave the dates out, or give -Type Temporary, AdditionPending, RemovalPending or TemporaryRemoved');
      return { type, startDate: null, endDate: null, steps: [] };
    case 'Temporary':
    case 'TemporaryRemoved': {
      const what = type === 'Temporary' ? 'a temporary membership' : 'a temporary removal';
      if (end === null) throw invalid('endDate', `${what} needs an EndDate`);
      if (end <= now) throw invalid('endDate', `EndDate ${day(end)} is in the past: ${what} must end after now (${day(now)})`);
      // A given start is when it began: for one already under way. One that starts later is pending.
      if (start !== null && start > now) {
        throw invalid('startDate', `${what} starts now: StartDate ${day(start)} is in the future`, `use -Type ${type === 'Temporary' ? 'AdditionPending' : 'RemovalPending'} for a change that starts later`);
      }
      const steps: PlannedStep[] = [type === 'Temporary'
        ? { dueAt: end, toType: null, toStart: null, toEnd: null, leaves: true }
        : { dueAt: end, toType: 'Perpetual', toStart: null, toEnd: null, leaves: false }];
      return { type, startDate: start ?? now, endDate: end, steps };
    }
    case 'AdditionPending':
    case 'RemovalPending': {
      const what = type === 'AdditionPending' ? 'a pending addition' : 'a pending removal';
      if (start === null) throw invalid('startDate', `${what} needs a StartDate`);
      if (start <= now) throw invalid('startDate', `StartDate ${day(start)} is in the past: ${what} must start after now (${day(now)})`);
      const steps: PlannedStep[] = type === 'AdditionPending'
        ? [{ dueAt: start, toType: end === null ? 'Perpetual' : 'Temporary', toStart: end === null ? null : start, toEnd: end, leaves: false }]
        : [{ dueAt: start, toType: end === null ? null : 'TemporaryRemoved', toStart: end === null ? null : start, toEnd: end, leaves: true }];
      if (end !== null) {
        steps.push(type === 'AdditionPending'
          ? { dueAt: end, toType: null, toStart: null, toEnd: null, leaves: true }
          : { dueAt: end, toType: 'Perpetual', toStart: null, toEnd: null, leaves: false });
      }
      return { type, startDate: start, endDate: end, steps };
    }
  }
}
