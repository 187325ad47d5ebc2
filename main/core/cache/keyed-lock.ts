// Per-key mutual exclusion inside one process: every operation on one cached hash (import, verify,
// quarantine, evict) runs after the previous one finished, so two writers never share a .part file.

export class KeyedLock {
  /** The promise that settles when the last queued holder of a key releases it. */
  private readonly tails = new Map<string, Promise<void>>()

  /** True while someone holds or waits for `key`; eviction uses it to leave busy files alone. */
  isBusy(key: string): boolean {
    return this.tails.has(key)
  }

  /**
   * Runs `task` once every earlier holder of `key` has finished. The queue entry is made before the
   * first await, so a caller that checked `isBusy` and then calls `run` cannot be overtaken.
   */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key)
    let release!: () => void
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous ? previous.then(() => mine) : mine
    this.tails.set(key, tail)
    try {
      if (previous) await previous
      return await task()
    } finally {
      release()
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
