import { describe, expect, it } from 'vitest';
import { StoreLanes } from './store-lanes.js';

/** A task that runs until released, noting when it started. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const finished = new Promise<void>((resolve) => { release = resolve; });
  return { task: () => { log.push(name); return finished; }, release };
}

describe('StoreLanes', () => {
  it('runs at most the limit per store, starts waiting tasks in order, and never holds up another store', async () => {
    const log: string[] = [];
    const lanes = new StoreLanes(2);
    const a = ['a1', 'a2', 'a3', 'a4'].map((name) => gate(log, name));
    const b = gate(log, 'b1');
    for (const g of a) lanes.add(1, g.task);
    lanes.add(2, b.task);
    expect(log).toEqual(['a1', 'a2', 'b1']);
    expect(lanes.size).toBe(5);

    a[1].release();
    await lanes.next();
    expect(log).toEqual(['a1', 'a2', 'b1', 'a3']);
    expect(lanes.size).toBe(4);

    b.release();
    a[0].release();
    await lanes.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['a1', 'a2', 'b1', 'a3', 'a4']);
    a[2].release();
    a[3].release();
    while (lanes.size > 0) await lanes.next();
    expect(lanes.size).toBe(0);
  });
});
