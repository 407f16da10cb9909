/**
 * ConvertTo-Json. Indentation is 2 spaces, which is what PowerShell 7 emits
 * (Windows PowerShell 5.1 used a wider, irregular layout).
 */
import { formatValue, isRecord } from './value.js';

/** PowerShell's default -Depth. */
export const DEFAULT_JSON_DEPTH = 2;

export interface ConvertToJsonOptions {
  /** Levels of nested objects/arrays written as JSON; deeper ones become their `@{k=v}` string. */
  depth?: number;
  /** One line, no spaces. */
  compress?: boolean;
  /**
   * Write a one-element array as its element. PowerShell does this for a
   * single pipeline object; the caller knows whether `value` is collected
   * pipeline input or a real array, so it decides.
   */
  unwrapSingle?: boolean;
}

/**
 * Depth counts containers: the top-level object or array is level 0 and is
 * always written; a container at level `depth + 1` is replaced by its short
 * string form (`@{k=v}` for objects, `{a, b}` for arrays, as in a table but
 * never cut short). So with the default depth 2,
 * `{a:{b:{c:{d:1}}}}` becomes `{"a":{"b":{"c":"@{d=1}"}}}`.
 * Unlike PowerShell no warning is issued when this happens.
 */
export function convertToJson(value: unknown, options: ConvertToJsonOptions = {}): string {
  const depth = options.depth ?? DEFAULT_JSON_DEPTH;
  if (!(Number.isInteger(depth) && depth >= 0)) throw new RangeError(`depth must be a non-negative integer, got ${depth}.`);
  const input = options.unwrapSingle && Array.isArray(value) && value.length === 1 ? value[0] : value;
  return JSON.stringify(limitDepth(input, 0, depth), null, options.compress ? undefined : 2);
}

/** A JSON-safe copy of `value` with containers beyond `depth` flattened to strings. */
function limitDepth(value: unknown, level: number, depth: number): unknown {
  // PowerShell writes $null for a missing value, where JSON.stringify would drop the key.
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  // JSON has no NaN/Infinity; PowerShell writes them as strings rather than a misleading null.
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value) || isRecord(value)) {
    if (level > depth) return formatValue(value, { enumerationLimit: -1 });
    if (Array.isArray(value)) return value.map((item) => limitDepth(item, level + 1, depth));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, limitDepth(item, level + 1, depth)]));
  }
  return formatValue(value); // dates, bigints and other leaves: their display string
}
