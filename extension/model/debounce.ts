// A keyed debouncer: the last call per key wins after `delayMs` of quiet (one per document, so
// typing in one file never delays another's analysis). Timers are injectable for tests.

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class KeyedDebouncer<K> {
  private readonly pending = new Map<K, unknown>();

  constructor(
    private readonly delayMs: () => number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Runs `fn` after the delay unless `schedule` is called again for the same key first. */
  schedule(key: K, fn: () => void): void {
    this.cancel(key);
    const handle = this.timers.set(() => {
      this.pending.delete(key);
      fn();
    }, this.delayMs());
    this.pending.set(key, handle);
  }

  cancel(key: K): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) this.timers.clear(handle);
    this.pending.delete(key);
  }

  has(key: K): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const handle of this.pending.values()) this.timers.clear(handle);
    this.pending.clear();
  }
}
