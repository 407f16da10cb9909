import { z } from 'zod';

/**
 * Dates and durations as people type them in the shell. A date without a time is midnight UTC,
 * a time without a zone is UTC: the daemon runs on UTC whatever the machine's zone, so that a
 * script means the same moment wherever it runs. Everything travels on as ISO 8601 in UTC.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An ISO 8601 date or date-time as the UTC ISO string it stands for; undefined if it is none. */
export function parseDateTime(text: string): string | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const normalized = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase()}`;
  const at = new Date(normalized);
  // Date accepts 2026-02-30 as March 2nd: a date that does not come back as written is not a date.
  if (Number.isNaN(at.getTime()) || Number(month) < 1 || Number(month) > 12 || Number(day) > new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate()) return undefined;
  return at.toISOString();
}

export const dateTime = (what: string) =>
  z.string().trim().max(64, `${what} must be at most 64 characters`).transform((text, context) => {
    const at = parseDateTime(text);
    if (at === undefined) {
      context.addIssue({ code: 'custom', message: `${what} must be a date (2026-12-31) or a date and time (2026-12-31T17:00, UTC unless a zone is given), not '${text}'` });
      return z.NEVER;
    }
    return at;
  });

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

/**
 * A duration in milliseconds: PowerShell's TimeSpan text (`1.02:00:00`, `02:30:00`, `00:05`) or
 * units (`3d`, `1d12h`, `90m`, `30s`); undefined if it is neither.
 */
export function parseTimeSpan(text: string): number | undefined {
  const trimmed = text.trim();
  const clock = /^(-)?(?:(\d+)\.)?(\d+):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(trimmed);
  if (clock) {
    const [, minus, days = '0', hours, minutes, seconds = '0', fraction = '0'] = clock;
    const ms = Number(days) * UNIT_MS.d + Number(hours) * UNIT_MS.h + Number(minutes) * UNIT_MS.m + Number(seconds) * UNIT_MS.s + Number(fraction.padEnd(3, '0'));
    return minus ? -ms : ms;
  }
  if (!/^-?(\d+(\.\d+)?[dhms])+$/i.test(trimmed)) return undefined;
  const sign = trimmed.startsWith('-') ? -1 : 1;
  let ms = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([dhms])/gi)) ms += Number(amount) * UNIT_MS[unit.toLowerCase()];
  return sign * Math.round(ms);
}

export const timeSpan = (what: string) =>
  z.string().trim().max(64, `${what} must be at most 64 characters`).transform((text, context) => {
    const ms = parseTimeSpan(text);
    if (ms === undefined) {
      context.addIssue({ code: 'custom', message: `${what} must be a duration such as 1.00:00:00, 02:30:00, 3d or 1d12h, not '${text}'` });
      return z.NEVER;
    }
    return ms;
  });

export const DAY_MS = 86_400_000;

/** A time as mails show it: `2026-12-31 17:00 UTC`. */
export function mailTime(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
}
