/**
 * Single-value rendering shared by Format-Table, Format-List, Format-Default
 * and ConvertTo-Json's fallback for objects nested beyond its depth.
 */

/** PowerShell's $FormatEnumerationLimit: an array shows this many items, then "…". */
export const DEFAULT_ENUMERATION_LIMIT = 4;

export interface FormatValueOptions {
  /** Items shown per array before "…"; a negative number shows all (PowerShell's -1). */
  enumerationLimit?: number;
}

/**
 * A JSON object, as opposed to an array, null or a leaf. Dates are leaves
 * here: they have no own keys, so treating them as objects would print `@{}`.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !hasOwnText(value);
}

/** Class instances that say how they print (a SecureString) are shown as that text, not opened up. */
function hasOwnText(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype !== null && prototype !== Object.prototype && typeof value.toString === 'function' && value.toString !== Object.prototype.toString;
}

/**
 * Renders one value the way PowerShell shows it in a table cell or list line:
 * null as nothing, booleans as True/False, arrays as `{a, b}` and objects as
 * `@{k=v; k2=v2}` (what PowerShell prints for a nested [pscustomobject]).
 */
export function formatValue(value: unknown, options: FormatValueOptions = {}): string {
  return render(value, options.enumerationLimit ?? DEFAULT_ENUMERATION_LIMIT);
}

function render(value: unknown, limit: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value)) {
    const shown = limit < 0 ? value : value.slice(0, limit);
    const more = shown.length < value.length ? '…' : '';
    return `{${shown.map((item) => render(item, limit)).join(', ')}${more}}`;
  }
  if (isRecord(value)) {
    // Nested arrays stay `{a, b}` rather than PowerShell's unhelpful "System.Object[]".
    const pairs = Object.entries(value).map(([key, item]) => `${key}=${render(item, limit)}`);
    return `@{${pairs.join('; ')}}`;
  }
  return String(value);
}
