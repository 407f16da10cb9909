/**
 * Where-Object's simplified syntax: `Where-Object Prop -op Value`.
 */
import { compileComparison } from './operators.js';
import { getProperty } from './properties.js';

/**
 * Keeps the objects whose `property` (case-insensitive, may be dotted)
 * satisfies `operator value`. The operator is checked before any object is
 * looked at, so a typo fails even on empty input.
 */
export function whereObject(objects: readonly unknown[], property: string, operator: string, value: unknown): unknown[] {
  const test = createWherePredicate(property, operator, value);
  return objects.filter((object) => test(object));
}

/** The same filter as a predicate, for callers that stream objects one at a time. */
export function createWherePredicate(property: string, operator: string, value: unknown): (object: unknown) => boolean {
  const compare = compileComparison(operator, value);
  return (object) => compare(getProperty(object, property));
}
