/**
 * Format-List: one `Name : value` line per property, names padded to the
 * longest name of that object, objects separated by a blank line.
 */
import { getProperty, resolvePropertyNames } from './properties.js';
import { renderScalars, splitRuns } from './runs.js';
import { textWidth } from './text.js';
import { formatValue } from './value.js';

export interface FormatListOptions {
  /** Properties to show; wildcards allowed. Default: each object's own keys. */
  properties?: string[];
}

/**
 * Returns the list framed by a blank line before and after, as PowerShell
 * prints it; every line ends in "\n" and trailing spaces are trimmed.
 * Values are never truncated; a multi-line value continues under its first line.
 */
export function formatList(objects: readonly unknown[], options: FormatListOptions = {}): string {
  return splitRuns(objects)
    .map((run) => (run.kind === 'records' ? renderList(run.items, options.properties) : renderScalars(run.items)))
    .join('');
}

function renderList(records: Record<string, unknown>[], patterns: string[] | undefined): string {
  // An object with nothing to show prints nothing, not an empty paragraph.
  const entries = records.map((record) => renderEntry(record, patterns)).filter((entry) => entry !== '');
  if (entries.length === 0) return '';
  return `\n${entries.join('\n\n')}\n\n`;
}

function renderEntry(record: Record<string, unknown>, patterns: string[] | undefined): string {
  // Resolved per object: Format-List shows each object's own properties.
  const names = resolvePropertyNames(Object.keys(record), patterns);
  const nameWidth = names.reduce((widest, name) => Math.max(widest, textWidth(name)), 0);
  const indent = ' '.repeat(nameWidth + 3);
  return names
    .map((name) => {
      const label = name + ' '.repeat(nameWidth - textWidth(name));
      const [first, ...more] = formatValue(getProperty(record, name)).split(/\r?\n/);
      return [`${label} : ${first}`, ...more.map((line) => indent + line)].map((line) => line.trimEnd()).join('\n');
    })
    .join('\n');
}
