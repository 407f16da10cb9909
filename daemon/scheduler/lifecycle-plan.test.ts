import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../protocol/index.js';
import { canonicalLinkType, planLink, typeInEffect } from './lifecycle-plan.js';

const NOW = '2026-12-01T09:00:00.000Z';
const D = (day: number) => `2026-12-${String(day).padStart(2, '0')}T00:00:00.000Z`;

function refusal(run: () => unknown): HeraldError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(HeraldError);
    return error as HeraldError;
  }
  throw new Error('expected a refusal');
}

describe('membership types', () => {
  it('accepts the reference spellings with spaces, any case', () => {
    expect(canonicalLinkType('Temporary Member')).toBe('Temporary');
    expect(canonicalLinkType('addition pending')).toBe('AdditionPending');
    expect(canonicalLinkType('Removal Pending')).toBe('RemovalPending');
    expect(canonicalLinkType('Temporary Removed')).toBe('TemporaryRemoved');
    expect(refusal(() => canonicalLinkType('Sometimes')).data?.field).toBe('type');
  });
});

describe('planLink', () => {
  it('gives each type its state now and its steps later', () => {
    expect(planLink({}, 'add', NOW)).toEqual({ type: 'Perpetual', startDate: null, endDate: null, steps: [] });
    expect(planLink({ type: 'Temporary', endDate: D(10) }, 'add', NOW)).toEqual({
      type: 'Temporary', startDate: NOW, endDate: D(10), steps: [{ dueAt: D(10), toType: null, toStart: null, toEnd: null, leaves: true }],
    });
    expect(planLink({ startDate: D(5), endDate: D(10) }, 'add', NOW).steps).toEqual([
      { dueAt: D(5), toType: 'Temporary', toStart: D(5), toEnd: D(10), leaves: false },
      { dueAt: D(10), toType: null, toStart: null, toEnd: null, leaves: true },
    ]);
    expect(planLink({ type: 'AdditionPending', startDate: D(5) }, 'add', NOW).steps).toEqual([
      { dueAt: D(5), toType: 'Perpetual', toStart: null, toEnd: null, leaves: false },
    ]);
    expect(planLink({ type: 'Removal Pending', startDate: D(5), endDate: D(10) }, 'remove', NOW).steps).toEqual([
      { dueAt: D(5), toType: 'TemporaryRemoved', toStart: D(5), toEnd: D(10), leaves: true },
      { dueAt: D(10), toType: 'Perpetual', toStart: null, toEnd: null, leaves: false },
    ]);
    expect(planLink({ type: 'RemovalPending', startDate: D(5) }, 'remove', NOW).steps).toEqual([
      { dueAt: D(5), toType: null, toStart: null, toEnd: null, leaves: true },
    ]);
    expect(planLink({ endDate: D(10) }, 'remove', NOW)).toMatchObject({ type: 'TemporaryRemoved', steps: [{ dueAt: D(10), toType: 'Perpetual', leaves: false }] });
  });

  it('makes every step take its link into effect or out of it, as the scheduler relies on', () => {
    const requests: [Parameters<typeof planLink>[0], 'add' | 'remove'][] = [
      [{ endDate: D(10) }, 'add'], [{ startDate: D(5) }, 'add'], [{ startDate: D(5), endDate: D(10) }, 'add'],
      [{ endDate: D(10) }, 'remove'], [{ startDate: D(5) }, 'remove'], [{ startDate: D(5), endDate: D(10) }, 'remove'],
    ];
    for (const [request, action] of requests) {
      const plan = planLink(request, action, NOW);
      let inEffect = typeInEffect(plan.type);
      for (const step of plan.steps) {
        const next = step.toType !== null && typeInEffect(step.toType);
        expect(next, JSON.stringify(request)).toBe(!inEffect);
        expect(step.leaves).toBe(inEffect);
        inEffect = next;
      }
    }
  });

  it('refuses what cannot be, naming the field', () => {
    const cases: [Parameters<typeof planLink>[0], 'add' | 'remove', string, RegExp][] = [
      [{ type: 'Temporary' }, 'add', 'endDate', /needs an EndDate/],
      [{ type: 'Temporary', endDate: D(1) }, 'add', 'endDate', /in the past/],
      [{ type: 'Temporary', startDate: D(5), endDate: D(10) }, 'add', 'startDate', /starts now/],
      [{ type: 'AdditionPending' }, 'add', 'startDate', /needs a StartDate/],
      [{ type: 'AdditionPending', startDate: '2026-11-30T00:00:00.000Z' }, 'add', 'startDate', /in the past/],
      [{ startDate: D(10), endDate: D(5) }, 'add', 'endDate', /must come after StartDate/],
      [{ startDate: D(10), endDate: D(10) }, 'remove', 'endDate', /must come after StartDate/],
      [{ type: 'Perpetual', endDate: D(10) }, 'add', 'endDate', /no StartDate or EndDate/],
      [{ type: 'TemporaryRemoved' }, 'remove', 'endDate', /needs an EndDate/],
    ];
    for (const [request, action, field, message] of cases) {
      const error = refusal(() => planLink(request, action, NOW));
      expect(error.data?.field, JSON.stringify(request)).toBe(field);
      expect(error.message).toMatch(message);
    }
  });
});
