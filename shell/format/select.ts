/**
 * Select-Object: pick objects by position, then project or expand their
 * properties, then drop duplicates — the order PowerShell applies them in,
 * so `-Unique -First 2` de-duplicates the first two inputs.
 */
import { getProperty, resolvePropertyNames } from './properties.js';
import { isRecord } from './value.js';

export interface SelectObjectOptions {
  /** Names (case-insensitive) or wildcards; output keys keep each object's own spelling. */
  properties?: string[];
  first?: number;
  last?: number;
  /** Counted from the start, or from the end when `last` is given (PowerShell's rule). */
  skip?: number;
  /** Output this property's values instead of objects; arrays are flattened one level. */
  expandProperty?: string;
  /** Drop repeated results; comparison is case-sensitive, as in PowerShell. */
  unique?: boolean;
}

/**
 * Inputs are never modified. Without `properties` or `expandProperty` the
 * selected inputs are returned as they are (same references).
 */
export function selectObject(objects: readonly unknown[], options: SelectObjectOptions): unknown[] {
  const picked = pickWindow(objects, options);
  const patterns = options.properties ?? [];
  let results: unknown[];
  if (options.expandProperty !== undefined) {
    const name = options.expandProperty;
    results = picked.flatMap((object) => expand(object, name, patterns));
  } else if (patterns.length > 0) {
    results = picked.map((object) => project(object, patterns));
  } else {
    results = [...picked];
  }
  return options.unique ? dropDuplicates(results) : results;
}

function pickWindow(objects: readonly unknown[], options: SelectObjectOptions): readonly unknown[] {
  const first = checkCount(options.first, 'first');
  const last = checkCount(options.last, 'last');
  const skip = checkCount(options.skip, 'skip') ?? 0;
  if (last === undefined) {
    const rest = objects.slice(skip);
    return first === undefined ? rest : rest.slice(0, first);
  }
  const kept = objects.slice(0, Math.max(0, objects.length - skip));
  // With both -First and -Last, both ends are kept and an overlap is listed once.
  const head = first === undefined ? [] : kept.slice(0, first);
  return [...head, ...kept.slice(Math.max(head.length, kept.length - last))];
}

function checkCount(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(`-${name} must be a non-negative integer, got ${value}.`);
  }
  return value;
}

/**
 * A new object with just the requested properties, in request order.
 * Wildcards match the object's own keys; a literal name that is not a key
 * is still looked up (dotted path, string Length) and is null when absent.
 */
function project(object: unknown, patterns: readonly string[]): Record<string, unknown> {
  const keys = isRecord(object) ? Object.keys(object) : [];
  const result: Record<string, unknown> = {};
  for (const name of resolvePropertyNames(keys, patterns)) {
    // defineProperty, because assigning a "__proto__" key from JSON data would replace the prototype.
    Object.defineProperty(result, name, {
      value: getProperty(object, name) ?? null,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/**
 * A missing property yields nothing: PowerShell reports it as a per-object
 * error and carries on, and a pure filter has nowhere to report it. Any
 * `properties` are added to expanded objects, as `-Property` does with
 * `-ExpandProperty` in PowerShell; plain values cannot carry them.
 */
function expand(object: unknown, name: string, patterns: readonly string[]): unknown[] {
  const value = getProperty(object, name);
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (patterns.length === 0) return values;
  const extra = project(object, patterns);
  return values.map((item) => (isRecord(item) ? { ...item, ...extra } : item));
}

function dropDuplicates(items: readonly unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = canonicalKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Structural identity: JSON with sorted keys, so key order does not make objects differ. */
function canonicalKey(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === undefined) return null;
    if (!isRecord(item)) return item;
    return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
