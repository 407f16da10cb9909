/**
 * The comparison operators of Where-Object. Each is case-insensitive unless
 * prefixed with `c` (`-ceq`); an `i` prefix (`-ieq`) spells out the default.
 */
import { compareValues } from './compare.js';
import { formatValue } from './value.js';
import { wildcardToRegExp } from './wildcard.js';

export const COMPARISON_OPERATORS = [
  'eq', 'ne', 'gt', 'ge', 'lt', 'le',
  'like', 'notlike', 'match', 'notmatch',
  'contains', 'notcontains', 'in', 'notin',
] as const;

export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export interface ParsedOperator {
  operator: ComparisonOperator;
  caseSensitive: boolean;
}

/** Accepts `-eq`, `eq`, `-EQ`, `-ceq`, `-ilike`...; throws listing the valid names otherwise. */
export function parseOperator(text: string): ParsedOperator {
  const name = text.trim().replace(/^-/, '').toLowerCase();
  if (isOperator(name)) return { operator: name, caseSensitive: false };
  const prefix = name[0];
  const rest = name.slice(1);
  if ((prefix === 'c' || prefix === 'i') && isOperator(rest)) return { operator: rest, caseSensitive: prefix === 'c' };
  const valid = COMPARISON_OPERATORS.map((op) => `-${op}`).join(', ');
  throw new Error(
    `Unknown comparison operator '${text}'. Valid operators: ${valid}; ` +
      `prefix any of them with c to compare case-sensitively (-ceq, -cne, -clike, -cnotlike, ...) ` +
      `or with i to say case-insensitive explicitly (-ieq, ...).`,
  );
}

function isOperator(name: string): name is ComparisonOperator {
  return (COMPARISON_OPERATORS as readonly string[]).includes(name);
}

/**
 * Builds the test `left <operator> right` for a fixed right operand, so
 * patterns are compiled once per filter, not once per object. When `left`
 * is an array the scalar operators hold if any element satisfies them
 * (PowerShell filters the array and a non-empty result counts as true);
 * -contains and -notcontains look at the array as a whole.
 */
export function compileComparison(operatorText: string, right: unknown): (left: unknown) => boolean {
  const { operator, caseSensitive } = parseOperator(operatorText);
  const compare = (left: unknown): number | undefined => compareValues(left, right, caseSensitive);
  const equals = (item: unknown, other: unknown): boolean => compareValues(item, other, caseSensitive) === 0;
  // Incomparable pairs (undefined order) fail every ordering test.
  const ordered = (test: (order: number) => boolean): ((left: unknown) => boolean) =>
    anyItem((left) => {
      const order = compare(left);
      return order !== undefined && test(order);
    });
  switch (operator) {
    case 'eq':
      return anyItem((left) => compare(left) === 0);
    case 'ne':
      return anyItem((left) => compare(left) !== 0);
    case 'gt':
      return ordered((order) => order > 0);
    case 'ge':
      return ordered((order) => order >= 0);
    case 'lt':
      return ordered((order) => order < 0);
    case 'le':
      return ordered((order) => order <= 0);
    case 'like':
    case 'notlike': {
      const pattern = wildcardToRegExp(toText(right), caseSensitive);
      const wanted = operator === 'like';
      return anyItem((left) => pattern.test(formatValue(left)) === wanted);
    }
    case 'match':
    case 'notmatch': {
      const pattern = toRegExp(toText(right), caseSensitive);
      const wanted = operator === 'match';
      return anyItem((left) => pattern.test(formatValue(left)) === wanted);
    }
    case 'contains':
      return (left) => asList(left).some((item) => equals(item, right));
    case 'notcontains':
      return (left) => !asList(left).some((item) => equals(item, right));
    case 'in':
    case 'notin': {
      // The collection element is the left operand, as when PowerShell runs -in as a reversed -contains.
      const list = asList(right);
      const wanted = operator === 'in';
      return (left) => list.some((item) => equals(item, left)) === wanted;
    }
  }
}

function anyItem(test: (left: unknown) => boolean): (left: unknown) => boolean {
  return (left) => (Array.isArray(left) ? left.some(test) : test(left));
}

/** A lone value is a one-item collection; null too, so `$null -contains $null` holds. */
function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function toText(value: unknown): string {
  return typeof value === 'string' ? value : formatValue(value);
}

/** -match takes a JavaScript regular expression (close to, but not exactly, .NET syntax), unanchored. */
function toRegExp(source: string, caseSensitive: boolean): RegExp {
  try {
    return new RegExp(source, caseSensitive ? '' : 'i');
  } catch (error) {
    throw new Error(`Invalid regular expression '${source}': ${(error as Error).message}`);
  }
}
