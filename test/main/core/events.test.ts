// Typed events with disposers, and the one store of disposers a shutdown runs.
import { describe, expect, it } from 'vitest'
import { DisposableStore, Emitter } from '../../../main/core/events'

describe('Emitter', () => {
  it('each subscription is undone by its own disposer, even for the same function subscribed twice', () => {
    const emitter = new Emitter<number>()
    const seen: number[] = []
    const listener = (n: number): void => void seen.push(n)
    const first = emitter.on(listener)
    emitter.on(listener)
    emitter.emit(1)
    first()
    emitter.emit(2)
    expect(seen).toEqual([1, 1, 2])
    expect(emitter.size).toBe(1)
  })
})

describe('DisposableStore', () => {
  it('disposes newest first, each once, going on past a failing one; a late addition runs at once', async () => {
    const errors: string[] = []
    const store = new DisposableStore((what, error) => errors.push(`${what}: ${error.message}`))
    const order: string[] = []
    store.add('cache', async () => void order.push('cache'))
    store.add('sync', () => {
      throw new Error('stuck')
    })
    store.add('timer', () => void order.push('timer'))
    await Promise.all([store.dispose(), store.dispose()])
    expect(order).toEqual(['timer', 'cache'])
    expect(errors).toEqual(['sync: stuck'])
    store.add('late', () => void order.push('late'))
    await expect.poll(() => order).toEqual(['timer', 'cache', 'late'])
    expect(store.disposed).toBe(true)
  })
})
