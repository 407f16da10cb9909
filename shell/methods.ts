import { ShellError } from './errors.js';

/**
 * Methods and computed properties that scripts call on values, with PowerShell's names
 * (case-insensitive). Dates are JavaScript Dates in UTC: the daemon reads every time as UTC, so
 * `(Get-Date).AddDays(7)` means the same moment wherever the script runs.
 */
const DAY_MS = 86_400_000;

function amount(name: string, value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) throw new ShellError(`${name} takes a number, not ${JSON.stringify(value) ?? String(value)}`);
  return number;
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + Math.trunc(months));
  // .NET keeps the day when it can and otherwise takes the month's last day (Jan 31 + 1 month: Feb 28).
  const last = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, last));
  return result;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** .NET custom date format strings, the common specifiers: yyyy MM dd HH mm ss fff and 'literal'. */
export function formatDate(date: Date, format: string): string {
  const fields: Record<string, () => string> = {
    yyyy: () => pad(date.getUTCFullYear(), 4), yy: () => pad(date.getUTCFullYear() % 100),
    MM: () => pad(date.getUTCMonth() + 1), M: () => String(date.getUTCMonth() + 1),
    dd: () => pad(date.getUTCDate()), d: () => String(date.getUTCDate()),
    HH: () => pad(date.getUTCHours()), H: () => String(date.getUTCHours()),
    mm: () => pad(date.getUTCMinutes()), m: () => String(date.getUTCMinutes()),
    ss: () => pad(date.getUTCSeconds()), s: () => String(date.getUTCSeconds()),
    fff: () => pad(date.getUTCMilliseconds(), 3),
  };
  // The standard forms scripts use most: 'o' (round trip), 's' (sortable), 'u' (universal sortable).
  if (format === 'o' || format === 'O') return date.toISOString();
  if (format === 's') return date.toISOString().slice(0, 19);
  if (format === 'u') return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return format.replace(/'([^']*)'|yyyy|yy|MM|M|dd|d|HH|H|mm|m|ss|s|fff/g, (token, literal: string | undefined) => literal ?? fields[token]());
}

const DATE_METHODS: Record<string, (date: Date, ...args: unknown[]) => unknown> = {
  adddays: (date, days) => new Date(date.getTime() + amount('AddDays', days) * DAY_MS),
  addhours: (date, hours) => new Date(date.getTime() + amount('AddHours', hours) * 3_600_000),
  addminutes: (date, minutes) => new Date(date.getTime() + amount('AddMinutes', minutes) * 60_000),
  addseconds: (date, seconds) => new Date(date.getTime() + amount('AddSeconds', seconds) * 1000),
  addmonths: (date, months) => addMonths(date, amount('AddMonths', months)),
  addyears: (date, years) => addMonths(date, amount('AddYears', years) * 12),
  touniversaltime: (date) => new Date(date.getTime()),
  tostring: (date, format) => (format === undefined ? date.toISOString() : formatDate(date, String(format))),
};

const DATE_PROPERTIES: Record<string, (date: Date) => unknown> = {
  date: (date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())),
  year: (date) => date.getUTCFullYear(),
  month: (date) => date.getUTCMonth() + 1,
  day: (date) => date.getUTCDate(),
  hour: (date) => date.getUTCHours(),
  minute: (date) => date.getUTCMinutes(),
  second: (date) => date.getUTCSeconds(),
  dayofweek: (date) => ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][date.getUTCDay()],
};

const STRING_METHODS: Record<string, (text: string, ...args: unknown[]) => unknown> = {
  toupper: (text) => text.toUpperCase(),
  tolower: (text) => text.toLowerCase(),
  trim: (text) => text.trim(),
  // .NET's Replace replaces every occurrence, and compares as written.
  replace: (text, from, to) => text.split(String(from)).join(String(to ?? '')),
  split: (text, separator) => text.split(String(separator)),
  startswith: (text, prefix) => text.startsWith(String(prefix)),
  endswith: (text, suffix) => text.endsWith(String(suffix)),
  contains: (text, part) => text.includes(String(part)),
  substring: (text, start, length) => text.substr(amount('Substring', start), length === undefined ? undefined : amount('Substring', length)),
  indexof: (text, part) => text.indexOf(String(part)),
  tostring: (text) => text,
};

const DATE_NAMES = 'AddDays, AddHours, AddMinutes, AddSeconds, AddMonths, AddYears, ToUniversalTime, ToString';
const STRING_NAMES = 'ToUpper, ToLower, Trim, Replace, Split, StartsWith, EndsWith, Contains, Substring, IndexOf, ToString';

/** A computed property of a value that is not a plain record (a date's .Year), if it has one. */
export function valueProperty(target: unknown, name: string): { found: boolean; value?: unknown } {
  if (target instanceof Date) {
    const property = DATE_PROPERTIES[name.toLowerCase()];
    return property ? { found: true, value: property(target) } : { found: false };
  }
  return { found: false };
}

function typeName(target: unknown): string {
  if (target instanceof Date) return 'DateTime';
  if (Array.isArray(target)) return 'Object[]';
  if (typeof target === 'string') return 'String';
  if (typeof target === 'number') return Number.isInteger(target) ? 'Int32' : 'Double';
  if (typeof target === 'boolean') return 'Boolean';
  return 'Object';
}

/**
 * Calls `name` on `target`. PowerShell's methods come first; otherwise a JavaScript method of the
 * value, so `$name.toUpperCase()` keeps working for those who write JavaScript.
 */
export function invokeMethod(target: unknown, name: string, args: unknown[]): unknown {
  if (target === null || target === undefined) throw new ShellError(`cannot call a method on a null value: .${name}()`, 'check that the value before the dot is set');
  if (target instanceof Date) {
    const method = DATE_METHODS[name.toLowerCase()];
    if (method) return method(target, ...args);
  }
  if (typeof target === 'string') {
    const method = STRING_METHODS[name.toLowerCase()];
    if (method) return method(target, ...args);
  }
  const record = Object(target) as Record<string, unknown>;
  if (typeof record[name] === 'function') return (record[name] as (...values: unknown[]) => unknown).apply(target, args);
  const known = target instanceof Date ? DATE_NAMES : typeof target === 'string' ? STRING_NAMES : undefined;
  throw new ShellError(`[${typeName(target)}] has no method named '${name}'`, known && `its methods: ${known}`);
}
