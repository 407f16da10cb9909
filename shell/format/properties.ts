/**
 * Property lookup with PowerShell's rules: names are case-insensitive,
 * dotted paths walk into nested objects, and a path through an array
 * collects the property from every element (member enumeration).
 */
import { isRecord } from './value.js';
import { hasWildcard, wildcardToRegExp } from './wildcard.js';

/** The record's own spelling of `name`; an exact match wins over a case-insensitive one. */
export function findKey(record: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(record, name)) return name;
  const wanted = name.toLowerCase();
  return Object.keys(record).find((key) => key.toLowerCase() === wanted);
}

/**
 * Reads `path` ("Name", "smtp.port") from a value; undefined when absent, so
 * callers can tell a missing property from one that is null. Arrays answer
 * Count/Length and strings answer Length, as in PowerShell.
 */
export function getProperty(target: unknown, path: string): unknown {
  return lookup(target, path.split('.'));
}

function lookup(target: unknown, segments: string[]): unknown {
  if (segments.length === 0) return target;
  const [head, ...rest] = segments;
  if (isRecord(target)) {
    // A key that itself contains dots ("smtp.port") must stay reachable.
    if (rest.length > 0) {
      const whole = findKey(target, segments.join('.'));
      if (whole !== undefined) return target[whole];
    }
    const key = findKey(target, head);
    return key === undefined ? undefined : lookup(target[key], rest);
  }
  if (Array.isArray(target)) {
    if (/^(count|length)$/i.test(head)) return lookup(target.length, rest);
    const found = target.flatMap((item) => {
      const value = lookup(item, segments);
      if (value === undefined || value === null) return [];
      return Array.isArray(value) ? value : [value];
    });
    // PowerShell unrolls a single enumerated result to the bare value.
    if (found.length === 0) return undefined;
    return found.length === 1 ? found[0] : found;
  }
  if (typeof target === 'string' && /^length$/i.test(head)) return lookup(target.length, rest);
  return undefined;
}

/** Keys of all records in first-seen order; `name` and `Name` are one column. */
export function unionKeys(records: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  const keys: string[] = [];
  for (const record of records) {
    for (const key of Object.keys(record)) {
      const id = key.toLowerCase();
      if (!seen.has(id)) {
        seen.add(id);
        keys.push(key);
      }
    }
  }
  return keys;
}

/**
 * Turns requested names into the property names to show, in request order.
 * A wildcard expands to the matching `keys` (none is fine); a literal name
 * takes the spelling found in `keys`, or stays as typed when absent, so the
 * caller still shows it (empty) instead of silently dropping it.
 * Without patterns every key is selected.
 */
export function resolvePropertyNames(keys: readonly string[], patterns?: readonly string[]): string[] {
  if (patterns === undefined || patterns.length === 0) return [...keys];
  const seen = new Set<string>();
  const names: string[] = [];
  const add = (name: string): void => {
    const id = name.toLowerCase();
    if (!seen.has(id)) {
      seen.add(id);
      names.push(name);
    }
  };
  for (const pattern of patterns) {
    if (hasWildcard(pattern)) {
      const regexp = wildcardToRegExp(pattern);
      keys.filter((key) => regexp.test(key)).forEach(add);
    } else {
      const wanted = pattern.toLowerCase();
      add(keys.find((key) => key.toLowerCase() === wanted) ?? pattern);
    }
  }
  return names;
}
