import type { z } from 'zod';
import { HeraldError } from '../protocol/index.js';

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isMissing(input: unknown, path: PropertyKey[]): boolean {
  const parent = valueAt(input, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && (parent as Record<PropertyKey, unknown>)[path[path.length - 1]] === undefined;
}

function describe(issue: z.core.$ZodIssue, input: unknown): { field: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path.map(String), issue.keys[0]].join('.');
    return { field, message: `unknown parameter '${issue.keys.join("', '")}'` };
  }
  const field = pathOf(issue);
  // Whatever zod calls it (invalid_type, invalid_value for enums), a missing value is missing;
  // an entry of a list given as one string (`to: 'a@x; bad'`) is not missing, only not there yet.
  if (issue.path.length > 0 && isMissing(input, issue.path)) {
    return { field, message: `'${field}' is required` };
  }
  // Our own refinements already name the field; zod's generic messages do not.
  const message = issue.message.startsWith('Invalid') || issue.message.startsWith('Too ') ? `'${field}': ${issue.message}` : issue.message;
  return { field, message };
}

/** Parses params, or throws InvalidParams naming the first field at fault and listing all. */
export function parseParams<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  if (Array.isArray(input)) {
    throw new HeraldError('InvalidParams', 'params must be an object of named parameters, not an array', { field: '' });
  }
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => describe(issue, input));
  return invalid(issues);
}

function invalid(issues: { field: string; message: string }[]): never {
  throw new HeraldError('InvalidParams', issues.map((i) => i.message).join('; '), { field: issues[0].field, issues });
}
