import { convertToJson, formatDefault, formatList, formatTable } from './format/index.js';
import type { OutputFormat } from './session.js';
import { displayOf } from './shell-object.js';

/** Text made by Format-Table / Format-List: printed as it is, never formatted again. */
export class FormattedText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** The terminal's width; a pipe, or a terminal that reports 0 columns, gets the default. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/** What a statement's output looks like on a terminal or in a text log. */
export function renderForPeople(objects: unknown[], format: OutputFormat, width?: number): string {
  const parts: string[] = [];
  let pending: unknown[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    if (format === 'Table') parts.push(formatTable(pending, { width }));
    else if (format === 'List') parts.push(formatList(pending));
    else {
      // Objects that name their default view show it as a table, as PowerShell's format views do.
      const display = displayOf(pending[0]);
      const sameView = display && pending.every((object) => displayOf(object) === display);
      if (!sameView) parts.push(formatDefault(pending, { width }));
      else if (display.list) parts.push(formatList(pending, { properties: display.properties }));
      else parts.push(formatTable(pending, { properties: display.properties, width }));
    }
    pending = [];
  };
  for (const object of objects) {
    if (object instanceof FormattedText) {
      flush();
      parts.push(object.text);
    } else {
      pending.push(object);
    }
  }
  flush();
  return parts.join('');
}

/** Json mode: every output object of the run, as one JSON array on stdout. */
export function renderForMachines(objects: unknown[]): string {
  return convertToJson(objects, { depth: 100 }) + '\n';
}
