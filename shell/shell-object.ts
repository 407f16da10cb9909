import { toPascalCase } from '../protocol/index.js';

/** Marks an object with the properties its default view shows; invisible to JSON and Format-List. */
export const DISPLAY = Symbol('herald.display');

/**
 * The daemon's JSON uses lowerCamel names; the shell shows PowerShell's PascalCase
 * (`Name`, `CreatedAt`). Property lookups ignore case, so both spellings work in filters.
 */
/** A cmdlet's default view: which properties, as a table or as a list. */
export interface DisplayView {
  properties: string[];
  list: boolean;
}

export function toShellObject(value: unknown, display?: DisplayView): unknown {
  if (Array.isArray(value)) return value.map((item) => toShellObject(item, display));
  if (value === null || typeof value !== 'object') return value;
  const object: Record<string | symbol, unknown> = {};
  for (const [key, item] of Object.entries(value)) object[toPascalCase(key)] = toShellObject(item);
  if (display) Object.defineProperty(object, DISPLAY, { value: display, enumerable: false });
  return object;
}

export function displayOf(value: unknown): DisplayView | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<symbol, DisplayView | undefined>)[DISPLAY] : undefined;
}
