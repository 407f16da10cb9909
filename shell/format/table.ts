/**
 * Format-Table: a header row, a row of dashes as long as each header, then
 * one row per object, columns separated by one space. Numeric columns are
 * right-aligned (header and dashes too), everything else left-aligned.
 */
import { getProperty, resolvePropertyNames, unionKeys } from './properties.js';
import { renderScalars, splitRuns } from './runs.js';
import { align, textWidth } from './text.js';
import { formatValue } from './value.js';

export const DEFAULT_TABLE_WIDTH = 120;

/** Shrinking stops here (or at a column's natural width, if narrower) so cut values stay recognisable. */
const MIN_COLUMN_WIDTH = 4;

export interface FormatTableOptions {
  /** Columns to show; wildcards allowed. Default: every key of every object, first-seen order. */
  properties?: string[];
  /** Maximum line length before the widest columns are cut with "…". */
  width?: number;
}

interface Column {
  header: string;
  cells: string[];
  rightAligned: boolean;
  width: number;
}

/**
 * Returns the table framed by a blank line before and after, as PowerShell
 * prints it; every line ends in "\n" and trailing spaces are trimmed.
 */
export function formatTable(objects: readonly unknown[], options: FormatTableOptions = {}): string {
  const width = options.width ?? DEFAULT_TABLE_WIDTH;
  if (!(width > 0)) throw new RangeError(`Table width must be a positive number, got ${width}.`);
  return splitRuns(objects)
    .map((run) => (run.kind === 'records' ? renderTable(run.items, options.properties, width) : renderScalars(run.items)))
    .join('');
}

function renderTable(records: Record<string, unknown>[], patterns: string[] | undefined, maxWidth: number): string {
  const names = resolvePropertyNames(unionKeys(records), patterns);
  if (names.length === 0) return '';
  const columns = names.map((name) => buildColumn(name, records));
  fitColumns(columns, maxWidth);
  const rows = [
    columns.map((column) => align(column.header, column.width, column.rightAligned)),
    columns.map((column) => {
      const dashes = '-'.repeat(Math.min(textWidth(column.header), column.width));
      return align(dashes, column.width, column.rightAligned);
    }),
    ...records.map((_, row) => columns.map((column) => align(column.cells[row], column.width, column.rightAligned))),
  ];
  const lines = rows.map((cells) => cells.join(' ').trimEnd());
  return `\n${lines.join('\n')}\n\n`;
}

function buildColumn(header: string, records: Record<string, unknown>[]): Column {
  const values = records.map((record) => getProperty(record, header));
  const present = values.filter((value) => value !== null && value !== undefined);
  // Line breaks would tear the grid apart, so a cell shows them as spaces.
  const cells = values.map((value) => formatValue(value).replace(/\r\n|[\r\n\t]/g, ' '));
  return {
    header,
    cells,
    rightAligned: present.length > 0 && present.every((value) => typeof value === 'number'),
    width: cells.reduce((widest, cell) => Math.max(widest, textWidth(cell)), textWidth(header)),
  };
}

/**
 * Narrows columns until a line fits `maxWidth`, always cutting the widest one
 * (the rightmost among equals): long free text such as descriptions gives way
 * before short identifying columns. If every column is already at its floor
 * the table stays too wide; PowerShell would drop columns, but hiding data
 * silently is worse than a wrapped line.
 */
function fitColumns(columns: Column[], maxWidth: number): void {
  const floors = columns.map((column) => Math.min(column.width, MIN_COLUMN_WIDTH));
  let total = columns.reduce((sum, column) => sum + column.width, columns.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    columns.forEach((column, i) => {
      if (column.width > floors[i] && (widest < 0 || column.width >= columns[widest].width)) widest = i;
    });
    if (widest < 0) return;
    // Jump straight down to the next-widest column instead of one cell per pass.
    const runnerUp = columns.reduce((max, column, i) => (i === widest ? max : Math.max(max, column.width)), 0);
    const room = columns[widest].width - Math.max(runnerUp, floors[widest]);
    const step = Math.max(1, Math.min(total - maxWidth, room));
    columns[widest].width -= step;
    total -= step;
  }
}
