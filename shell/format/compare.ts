/**
 * PowerShell's comparison rule: the right operand is converted to the type
 * of the left one, then the two are compared. So `25 -eq '25'` compares
 * numbers and `'25' -eq 25` compares strings.
 */

// Ordering follows culture rules like PowerShell ('apple' < 'Banana' < 'cherry');
// equality stays ordinal-ignore-case so identifiers never match by accident.
const ignoreCaseCollator = new Intl.Collator('en', { sensitivity: 'accent' });
const caseCollator = new Intl.Collator('en', { sensitivity: 'variant' });

/**
 * Negative, zero or positive like a sort comparator, or undefined when the
 * right operand cannot be converted to the left one's type: the operators
 * then treat the pair as unequal and every ordering test as false.
 * Null sorts before everything, as in PowerShell, so `$null -lt 5` holds.
 */
export function compareValues(left: unknown, right: unknown, caseSensitive = false): number | undefined {
  const leftMissing = left === null || left === undefined;
  const rightMissing = right === null || right === undefined;
  if (leftMissing || rightMissing) return leftMissing && rightMissing ? 0 : leftMissing ? -1 : 1;
  if (typeof left === 'number') {
    const other = toNumber(right);
    return other === undefined ? undefined : compareNumbers(left, other);
  }
  if (typeof left === 'string') {
    const other = toText(right);
    return other === undefined ? undefined : compareStrings(left, other, caseSensitive);
  }
  if (typeof left === 'boolean') {
    const other = toBoolean(right);
    return other === undefined ? undefined : Number(left) - Number(other);
  }
  // Objects and arrays have no value conversion; only the very same value is equal.
  return Object.is(left, right) ? 0 : undefined;
}

function compareNumbers(left: number, right: number): number | undefined {
  if (left < right) return -1;
  if (left > right) return 1;
  return left === right ? 0 : undefined; // NaN is not comparable
}

function compareStrings(left: string, right: string, caseSensitive: boolean): number {
  if (caseSensitive ? left === right : left.toLowerCase() === right.toLowerCase()) return 0;
  const order = (caseSensitive ? caseCollator : ignoreCaseCollator).compare(left, right);
  // The collator may call distinct strings equal (e.g. ignorable characters); fall back to code order.
  if (order !== 0) return order;
  return left < right ? -1 : 1;
}

/** A numeric string converts the way PowerShell's [double] cast does, surrounding spaces allowed. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return undefined;
}

/**
 * Only the words true/false (or $true/$false) convert. PowerShell itself
 * would treat any non-empty string as true, making `-eq 'false'` match
 * $true — a trap worth leaving out of a filter.
 */
function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === 'true' || word === '$true') return true;
    if (word === 'false' || word === '$false') return false;
  }
  return undefined;
}
