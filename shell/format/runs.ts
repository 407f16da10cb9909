/**
 * Pipeline output can mix objects and plain values. PowerShell prints plain
 * values one per line and objects through a formatter, so the formatters
 * split their input into consecutive runs of each kind and keep the order.
 */
import { formatValue, isRecord } from './value.js';

export type Run =
  | { kind: 'records'; items: Record<string, unknown>[] }
  | { kind: 'scalars'; items: unknown[] };

export function splitRuns(objects: readonly unknown[]): Run[] {
  const runs: Run[] = [];
  for (const item of objects) {
    const last = runs.at(-1);
    if (isRecord(item)) {
      if (last?.kind === 'records') last.items.push(item);
      else runs.push({ kind: 'records', items: [item] });
    } else if (last?.kind === 'scalars') {
      last.items.push(item);
    } else {
      runs.push({ kind: 'scalars', items: [item] });
    }
  }
  return runs;
}

/** One line per value; null is skipped because PowerShell's Out-Default prints nothing for $null. */
export function renderScalars(items: readonly unknown[]): string {
  return items
    .filter((item) => item !== null && item !== undefined)
    .map((item) => `${formatValue(item)}\n`)
    .join('');
}
