// Write-ahead for the working set: a change is committed to the database first, applied to memory
// after, in submission order. Changes waiting together share one transaction (group commit: one fsync
// for a burst of reports); when that transaction fails, each is retried alone, so one bad change
// fails only itself and nothing is half-stored.
import type { Db } from '../db/database'

export interface Change {
  /** Outside the transaction, before it (writing files: they are content-addressed, an orphan is harmless). */
  prepare?: () => Promise<void>
  write: (trx: Db) => Promise<void>
  /** After the commit: the working set changes, then whoever waits is told. */
  apply: () => void
}

interface Pending {
  change: Change
  resolve: () => void
  reject: (error: unknown) => void
  failed?: unknown
}

const MAX_BATCH = 500

export class CommitQueue {
  private readonly queue: Pending[] = []
  private readonly inFlight = new Set<Promise<void>>()
  private running = false

  constructor(private readonly db: Db) {}

  submit(change: Change): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.queue.push({ change, resolve, reject }))
    // Whoever does not await it still must not see an unhandled rejection; durable() reports it.
    const tracked = done.finally(() => this.inFlight.delete(tracked))
    tracked.catch(() => undefined)
    this.inFlight.add(tracked)
    void this.run()
    return done
  }

  /** Resolves when everything submitted so far is committed and applied; rejects if any of it failed. */
  async durable(): Promise<void> {
    await Promise.all([...this.inFlight])
  }

  private async run(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, MAX_BATCH))
    } finally {
      this.running = false
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    for (const pending of batch) {
      try {
        await pending.change.prepare?.()
      } catch (error) {
        pending.failed = error
      }
    }
    const ready = batch.filter((p) => p.failed === undefined)
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const pending of ready) await pending.change.write(trx)
      })
    } catch {
      for (const pending of ready) {
        try {
          await this.db.transaction().execute((trx) => pending.change.write(trx))
        } catch (error) {
          pending.failed = error
        }
      }
    }
    for (const pending of batch) {
      if (pending.failed !== undefined) {
        pending.reject(pending.failed)
        continue
      }
      try {
        pending.change.apply()
        pending.resolve()
      } catch (error) {
        pending.reject(error)
      }
    }
  }
}
