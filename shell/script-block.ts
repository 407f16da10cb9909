import { parseOperator, whereObject } from './format/index.js';
import { ShellError } from './errors.js';

/** `{ … }` as written: kept as text, understood only where a command knows its shape. */
export class ScriptBlock {
  constructor(readonly text: string) {}
  toString(): string {
    return `{${this.text}}`;
  }
}

const FILTER = /^\s*\{?\s*\$_(?:\.([\w.]+))?\s+(-\w+)\s+([\s\S]+?)\s*\}?\s*$/;

/**
 * The filter shape Where-Object script blocks take in practice: `{ $_.Prop -op value }`.
 * `value` is evaluated by the caller, so it may be a literal or a variable.
 */
export function parseFilterScript(block: ScriptBlock): { property: string; operator: string; valueText: string } {
  const match = FILTER.exec(block.text);
  if (!match) {
    throw new ShellError(
      `Where-Object: cannot read the filter ${block}`,
      "write it as { $_.Property -operator value } or as Where-Object Property -operator value",
    );
  }
  parseOperator(match[2]); // throws, listing the valid operators, when it is not one
  return { property: match[1] ?? '', operator: match[2], valueText: match[3] };
}

/** Where-Object over a property, or over the objects themselves when `property` is empty (`$_ -eq 1`). */
export function filterObjects(objects: unknown[], property: string, operator: string, value: unknown): unknown[] {
  if (property !== '') return whereObject(objects, property, operator, value);
  const boxed = objects.map((item) => ({ item }));
  return (whereObject(boxed, 'item', operator, value) as { item: unknown }[]).map((box) => box.item);
}
