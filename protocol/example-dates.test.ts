import { describe, expect, it } from 'vitest';
import { METHODS } from './index.js';

// A help example is copied and run on any later day. A literal date in it is fine only where
// the past is what the parameter asks for (-Since); a start, an end or a clock setting written
// as a date is refused once that date has passed, so examples compute those with Get-Date.
const LITERAL_DATE = /\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}\/\d{1,2}\/\d{4}\b/g;
const PAST_IS_FINE = new Set(['since']);

/** Every literal date in a command, with the parameter it is the value of (if any). */
function literalDates(command: string): { date: string; parameter: string | undefined }[] {
  return [...command.matchAll(LITERAL_DATE)].map((match) => {
    const before = command.slice(0, match.index).match(/-(\w+)[\s:]+['"]?$/);
    return { date: match[0], parameter: before?.[1] };
  });
}

describe('help examples', () => {
  it('finds literal dates and the parameter each belongs to', () => {
    expect(literalDates("Add-GroupMember Sales jdoe -EndDate 2026-12-31 -StartDate '12/1/2026'")).toEqual([
      { date: '2026-12-31', parameter: 'EndDate' },
      { date: '12/1/2026', parameter: 'StartDate' },
    ]);
    expect(literalDates('Get-ChangeHistory Sales -Since:2026-11-01')).toEqual([{ date: '2026-11-01', parameter: 'Since' }]);
    expect(literalDates('Add-GroupMember Sales jdoe -EndDate (Get-Date).AddDays(30)')).toEqual([]);
  });

  it('hold no literal date that a later run would refuse', () => {
    const expiring = Object.values(METHODS).flatMap((method) =>
      method.cmdlet.examples.flatMap((example) =>
        literalDates(example.command)
          .filter(({ parameter }) => !PAST_IS_FINE.has(parameter?.toLowerCase() ?? ''))
          .map(({ date }) => `${method.cmdlet.name}: ${date} in "${example.command}"`)));
    expect(expiring, 'write such dates as (Get-Date).AddDays(n) so the example works on any day').toEqual([]);
  });
});
