// Typed events whose subscriptions return their own undoing, and one store of such undoings so shutdown
// runs every stop exactly once, newest first, whatever the order in which the parts started.

/** Undoes a subscription or stops what was started; calling it twice does nothing more. */
export type Disposer = () => void | Promise<void>

/** A typed event: listeners run in subscription order; one that throws does not stop the others. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>()

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  /** Subscribes; the returned function unsubscribes. */
  on(listener: (value: T) => void): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions, each undone by its own disposer.
    const entry = (value: T): void => listener(value)
    this.listeners.add(entry)
    return () => void this.listeners.delete(entry)
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value)
      } catch (error) {
        this.onListenerError(error)
      }
    }
  }

  get size(): number {
    return this.listeners.size
  }
}

/**
 * What must be undone at shutdown. Added in start order, disposed in reverse (what started last stops
 * first: a sync that writes to the cache stops before the cache closes); each once, even when one fails.
 */
export class DisposableStore {
  private readonly disposers: { what: string; dispose: Disposer }[] = []
  private disposing: Promise<void> | null = null

  constructor(private readonly onError: (what: string, error: Error) => void = () => undefined) {}

  /** Registers an undoing; after dispose() has begun it runs at once (a part that started too late). */
  add(what: string, dispose: Disposer): void {
    if (this.disposing) {
      void this.disposing.then(() => this.run({ what, dispose }))
      return
    }
    this.disposers.push({ what, dispose })
  }

  get disposed(): boolean {
    return this.disposing !== null
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      for (const entry of this.disposers.splice(0).reverse()) await this.run(entry)
    })()
    return this.disposing
  }

  private async run(entry: { what: string; dispose: Disposer }): Promise<void> {
    try {
      await entry.dispose()
    } catch (error) {
      this.onError(entry.what, error as Error)
    }
  }
}
