import { describe, expect, it } from 'vitest';
import { formatValue } from './value.js';

describe('formatValue', () => {
  it('renders empty values as nothing', () => {
    expect(formatValue(null)).toBe('');
    expect(formatValue(undefined)).toBe('');
  });

  it('renders booleans the PowerShell way', () => {
    expect(formatValue(true)).toBe('True');
    expect(formatValue(false)).toBe('False');
  });

  it('renders strings and numbers as themselves', () => {
    expect(formatValue('2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00Z');
    expect(formatValue(3.5)).toBe('3.5');
    expect(formatValue(0)).toBe('0');
  });

  it('renders arrays in braces, cut after four items like $FormatEnumerationLimit', () => {
    expect(formatValue(['a', 'b'])).toBe('{a, b}');
    expect(formatValue([])).toBe('{}');
    expect(formatValue([1, 2, 3, 4])).toBe('{1, 2, 3, 4}');
    expect(formatValue([1, 2, 3, 4, 5])).toBe('{1, 2, 3, 4…}');
    expect(formatValue([1, 2, 3, 4, 5], { enumerationLimit: -1 })).toBe('{1, 2, 3, 4, 5}');
    expect(formatValue([1, 2, 3], { enumerationLimit: 0 })).toBe('{…}');
  });

  it('renders nested objects in the @{k=v} short form', () => {
    expect(formatValue({ id: 7, role: 'admin', active: true, manager: null })).toBe(
      '@{id=7; role=admin; active=True; manager=}',
    );
    expect(formatValue({ a: { b: [1, null] } })).toBe('@{a=@{b={1, }}}');
    expect(formatValue({})).toBe('@{}');
    expect(formatValue([{ x: 1 }, ['y']])).toBe('{@{x=1}, {y}}');
  });

  it('renders Date objects as ISO strings', () => {
    expect(formatValue(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
  });
});
