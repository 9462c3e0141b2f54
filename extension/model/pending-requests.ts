// Requests awaiting a reply (from the analysis worker, or a webview): each settles exactly once —
// with the reply, a timeout error, or a "disposed" error when its owner goes away — so nothing
// waits forever and no timer outlives its panel or worker.

import { realTimers, type Timers } from "./debounce";

interface Pending<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  timer: unknown;
}

export class PendingRequests<T> {
  private readonly pending = new Map<number, Pending<T>>();
  private disposed = false;

  constructor(
    private readonly what: string,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Registers request `id`; the promise rejects after `timeoutMs` without a reply. */
  add(id: number, timeoutMs: number): Promise<T> {
    if (this.disposed) return Promise.reject(new Error(`The ${this.what} is closed.`));
    return new Promise<T>((resolve, reject) => {
      const timer = this.timers.set(() => {
        this.pending.delete(id);
        reject(new Error(`The ${this.what} did not answer request ${id} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  /** Settles request `id` with its reply; false when it is unknown (late, or never sent). */
  resolve(id: number, value: T): boolean {
    const p = this.take(id);
    p?.resolve(value);
    return p !== undefined;
  }

  reject(id: number, error: Error): boolean {
    const p = this.take(id);
    p?.reject(error);
    return p !== undefined;
  }

  /** Rejects everything still waiting (e.g. the worker crashed). */
  rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.reject(id, error);
  }

  get size(): number {
    return this.pending.size;
  }

  dispose(): void {
    this.rejectAll(new Error(`The ${this.what} was closed.`));
    this.disposed = true;
  }

  private take(id: number): Pending<T> | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    this.timers.clear(p.timer);
    return p;
  }
}
