// Work this process has accepted and not finished: answers being worked out for Slack, Teams, the
// console or the playground. A stopping process waits for it (within a bound) before it closes the
// store, so nobody who asked just before a deploy is left with "working…" forever.

export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Counts `work` until it settles; returns it unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    const entry = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(entry);
    void entry.then(() => this.running.delete(entry));
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing is in flight, work that started while waiting included. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** Drain bounds: true when `work` finished within `ms`, false when the time ran out first. */
export async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => { resolve(false); }, ms)));
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
