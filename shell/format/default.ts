/**
 * What the shell prints when a pipeline ends without a formatter
 * (PowerShell's Out-Default): objects with at most four properties as a
 * table, wider objects as a list, plain values one per line.
 */
import { formatList } from './list.js';
import { unionKeys } from './properties.js';
import { renderScalars, splitRuns } from './runs.js';
import { formatTable } from './table.js';

/** PowerShell switches from table to list above this many properties. */
export const MAX_TABLE_PROPERTIES = 4;

export interface FormatDefaultOptions {
  /** Line width for tables; lists are never truncated. */
  width?: number;
}

/**
 * The table/list choice counts the properties of all consecutive objects
 * together, not just the first object's as PowerShell does, so a later
 * object's extra properties can never vanish from a table.
 */
export function formatDefault(objects: readonly unknown[], options: FormatDefaultOptions = {}): string {
  return splitRuns(objects)
    .map((run) => {
      if (run.kind === 'scalars') return renderScalars(run.items);
      return unionKeys(run.items).length <= MAX_TABLE_PROPERTIES
        ? formatTable(run.items, { width: options.width })
        : formatList(run.items);
    })
    .join('');
}
