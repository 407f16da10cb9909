import { describe, expect, it } from 'vitest';
import { parseDateTime, parseTimeSpan } from './time.js';

describe('parseDateTime', () => {
  it('reads dates as midnight UTC, times without a zone as UTC, and zones as given', () => {
    expect(parseDateTime('2026-12-31')).toBe('2026-12-31T00:00:00.000Z');
    expect(parseDateTime('2026-12-31T17:00')).toBe('2026-12-31T17:00:00.000Z');
    expect(parseDateTime('2026-12-31 17:00:05.5')).toBe('2026-12-31T17:00:05.500Z');
    expect(parseDateTime('2026-12-31T17:00+0100')).toBe('2026-12-31T16:00:00.000Z');
    expect(parseDateTime('2026-12-31T17:00-05:30')).toBe('2026-12-31T22:30:00.000Z');
  });

  it('refuses what is not a date, and dates that do not exist', () => {
    for (const text of ['', 'tomorrow', '31/12/2026', '2026-02-30', '2026-13-01', '2026-12-31T25:00', '2026-12-31T17']) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
  });
});

describe('parseTimeSpan', () => {
  it('reads TimeSpan text and units', () => {
    expect(parseTimeSpan('1.02:30:00')).toBe(86_400_000 + 2.5 * 3_600_000);
    expect(parseTimeSpan('00:05')).toBe(300_000);
    expect(parseTimeSpan('00:00:01.5')).toBe(1500);
    expect(parseTimeSpan('3d')).toBe(3 * 86_400_000);
    expect(parseTimeSpan('1d12h')).toBe(1.5 * 86_400_000);
    expect(parseTimeSpan('90m')).toBe(5_400_000);
    expect(parseTimeSpan('-1h')).toBe(-3_600_000);
  });

  it('refuses anything else', () => {
    for (const text of ['', 'soon', '3 days', '1:2', 'd', '1x']) expect(parseTimeSpan(text), text).toBeUndefined();
  });
});
