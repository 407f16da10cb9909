import { parseDateTime } from '../../protocol/index.js';
import { ShellError } from '../errors.js';
import { formatDate } from '../methods.js';
import type { Command } from './command.js';
import { builtin } from './builtin.js';

function toDate(value: unknown): Date {
  if (value instanceof Date) return new Date(value.getTime());
  const iso = typeof value === 'string' ? parseDateTime(value) : undefined;
  if (iso === undefined) throw new ShellError(`Get-Date: -Date takes a date such as 2026-12-31 or 2026-12-31T17:00, not '${String(value)}'`);
  return new Date(iso);
}

/** PowerShell's everyday utility cmdlets that scripts lean on. */
export function utilityCommands(): Command[] {
  return [
    builtin({
      name: 'Get-Date',
      summary: 'The current date and time (UTC, as the daemon reads every time), or the date given; -Format makes it text.',
      description: 'Dates have the methods scripts use: AddDays, AddHours, AddMinutes, AddSeconds, AddMonths, AddYears, ToString(format); and the properties Date (midnight), Year, Month, Day, Hour, Minute, Second, DayOfWeek. A date given to a cmdlet parameter travels as ISO 8601 in UTC.',
      parameters: [{ name: 'Date', type: 'any', position: 0 }, { name: 'Format' }],
      examples: [
        { command: '(Get-Date).AddDays(7)', description: 'This moment a week from now.' },
        { command: "Add-GroupMember Sales jdoe -Type 'Temporary Member' -EndDate (Get-Date).Date.AddDays(30)", description: 'jdoe is a member of Sales until midnight (UTC) 30 days from today.' },
        { command: "Get-Date -Format 'yyyy-MM-dd'", description: "Today's date as text." },
      ],
      invoke: ({ bound }) => {
        const date = bound.Date === undefined ? new Date() : toDate(bound.Date);
        return [bound.Format === undefined ? date : formatDate(date, String(bound.Format))];
      },
    }),
  ];
}
