/**
 * Work for several stores, at most `perStore` tasks of one store running at once and the rest
 * waiting in order. A slow store fills its own lane only; the others keep going.
 */
export class StoreLanes {
  private readonly waiting = new Map<number, (() => Promise<void>)[]>();
  private readonly running = new Map<number, number>();
  private readonly settled = new Set<Promise<void>>();
  private count = 0;

  constructor(private readonly perStore: number) {}

  /** Tasks added and not yet finished, running or waiting. */
  get size(): number {
    return this.count;
  }

  add(store: number, task: () => Promise<void>): void {
    this.count++;
    if ((this.running.get(store) ?? 0) < this.perStore) this.run(store, task);
    else {
      const queue = this.waiting.get(store);
      if (queue) queue.push(task);
      else this.waiting.set(store, [task]);
    }
  }

  /** Resolves when at least one running task has finished. */
  async next(): Promise<void> {
    await Promise.race(this.settled);
  }

  private run(store: number, task: () => Promise<void>): void {
    this.running.set(store, (this.running.get(store) ?? 0) + 1);
    const running: Promise<void> = task().finally(() => {
      this.settled.delete(running);
      this.count--;
      this.running.set(store, this.running.get(store)! - 1);
      const queue = this.waiting.get(store);
      const following = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(store);
      if (following) this.run(store, following);
    });
    this.settled.add(running);
  }
}
