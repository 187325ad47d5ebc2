// The rotation's rules (renderer/src/components/rotation.ts) on a fake clock: order and full turns across
// failures, new programs that go on rather than restart, proof of play from painted frames, priming.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Program, ScreenItem, ScreenPayload } from '../../contract/screen'
import { LOAD_TIMEOUT_MS, PRIME_LEAD_MS, RETRY_ALL_MS, Rotation } from '../../renderer/src/components/rotation'

const text = (id: string, durationMs = 1000): ScreenItem => ({ id, kind: 'text', title: id, body: id, durationMs })
const image = (id: string, durationMs = 1000): ScreenItem => ({ id, kind: 'image', src: `/media/${id}`, fit: 'contain', durationMs })
const program = (version: string, items: ScreenItem[]): Program => ({ version, items })

/**
 * A screen for the model: every mounted slot loads at once (or fails, for ids in `broken`; or never
 * loads, for ids in `stuck`), and each step paints a frame, as the Rotator does after a commit.
 */
function screen(first: Program, options: { broken?: string[]; stuck?: string[] } = {}) {
  const played: ScreenPayload<'played'>[] = []
  const failures: ScreenPayload<'itemFailed'>[] = []
  const rotation = new Rotation(first, { played: (r) => played.push(r), itemFailed: (r) => failures.push(r), changed: () => undefined })
  rotation.start()
  const broken = new Set(options.broken ?? [])
  const stuck = new Set(options.stuck ?? [])
  /** Item on screen at each step, with repeats collapsed: what a viewer sees, in order. */
  const seen: string[] = []
  const settle = (): void => {
    for (let guard = 0; guard < 10; guard++) {
      const slots = [rotation.currentSlot, rotation.nextSlot].filter((s) => s !== null)
      const pending = slots.find((s) => !rotation.isReady(s.key) && !stuck.has(s.item.id))
      if (!pending) break
      if (broken.has(pending.item.id)) rotation.fail(pending.key, 'would not decode', 'broken')
      else rotation.ready(pending.key)
    }
    const current = rotation.currentSlot
    if (!current) return void (seen.at(-1) !== '(fallback)' && seen.push('(fallback)'))
    rotation.frame(current.n, Date.now(), rotation.isReady(current.key))
    if (rotation.isReady(current.key) && seen.at(-1) !== current.item.id) seen.push(current.item.id)
  }
  /** Runs the screen for `ms` in frames of 10 ms. */
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 10) {
      settle()
      vi.advanceTimersByTime(10)
    }
    settle()
  }
  return { rotation, played, failures, seen, run, settle, broken, stuck }
}

describe('rotation', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('skips a failing item: the others play in order, each for its full duration, and the failure is reported once', () => {
    const s = screen(program('v1', [text('a'), image('bad-1'), text('c'), image('bad-2'), text('e')]), { broken: ['bad-1', 'bad-2'] })
    s.run(6_500)
    expect(s.seen).toEqual(['a', 'c', 'e', 'a', 'c', 'e', 'a'])
    expect(s.played.map((p) => p.itemId)).toEqual(['a', 'c', 'e', 'a', 'c', 'e'])
    for (const p of s.played) expect(p.endedAt - p.startedAt).toBeGreaterThanOrEqual(1000)
    expect(s.failures).toEqual([
      { itemId: 'bad-1', programVersion: 'v1', reason: 'would not decode', cause: 'broken' },
      { itemId: 'bad-2', programVersion: 'v1', reason: 'would not decode', cause: 'broken' }
    ])
  })

  it('goes on from the item on screen when a new program leaves the failed item out (same version or not)', () => {
    const items = [text('a'), image('bad'), text('c'), text('d')]
    const s = screen(program('v1', items), { broken: ['bad'] })
    s.run(1_500) // c has been on screen for about half its turn
    expect(s.seen).toEqual(['a', 'c'])
    // What the core sends after a failure: the same schedule without the bad file.
    s.rotation.setProgram(program('v1', items.filter((i) => i.id !== 'bad')))
    s.run(1_000)
    // A republished manifest with the same items: a new version, nothing new.
    s.rotation.setProgram(program('v2', items.filter((i) => i.id !== 'bad')))
    s.run(2_000)
    expect(s.seen).toEqual(['a', 'c', 'd', 'a', 'c'])
    expect(s.played.map((p) => [p.itemId, p.programVersion])).toEqual([
      ['a', 'v1'],
      ['c', 'v1'],
      ['d', 'v1'],
      ['a', 'v2']
    ])
    for (const p of s.played) expect(p.endedAt - p.startedAt).toBeGreaterThanOrEqual(1000)
  })

  it('keeps the preloaded next item when a new program object has the same next item', () => {
    const items = [text('a'), text('b'), text('c')]
    const s = screen(program('v1', items))
    s.run(500)
    const next = s.rotation.nextSlot!
    s.rotation.setProgram(program('v1', [...items]))
    expect(s.rotation.nextSlot).toEqual(next)
    expect(s.rotation.isReady(next.key)).toBe(true)
  })

  it('starts another schedule from its first item as soon as that item can show a picture', () => {
    const s = screen(program('v1', [text('a', 5000), text('b')]), { stuck: ['x'] })
    s.run(1_000)
    s.rotation.setProgram(program('v2', [text('x'), text('y')]))
    s.run(500)
    // x cannot show a picture yet: a stays on screen rather than leave a blank.
    expect(s.seen).toEqual(['a'])
    s.stuck.delete('x')
    s.run(100)
    expect(s.seen).toEqual(['a', 'x'])
    // The cut turn is reported for what it was: about 1.5 s, not its 5 s.
    expect(s.played).toHaveLength(1)
    expect(s.played[0]!.endedAt - s.played[0]!.startedAt).toBeLessThan(2_000)
  })

  it('cuts an item that left the program and goes on with the item that followed it', () => {
    const s = screen(program('v1', [text('a'), text('b', 5000), text('c'), text('d')]))
    s.run(1_500)
    expect(s.seen).toEqual(['a', 'b'])
    s.rotation.setProgram(program('v1', [text('a'), text('c'), text('d')]))
    s.run(100)
    expect(s.seen).toEqual(['a', 'b', 'c'])
    s.run(1_500)
    expect(s.seen).toEqual(['a', 'b', 'c', 'd'])
  })

  it('stamps proof of play from the first painted frame of the picture, not from the turn start', () => {
    const s = screen(program('v1', [image('slow'), text('b')]), { stuck: ['slow'] })
    const turnStart = Date.now()
    s.run(700) // the image is still loading: nothing of it on screen
    s.stuck.delete('slow')
    s.run(1_100)
    expect(s.played[0]!.itemId).toBe('slow')
    expect(s.played[0]!.startedAt).toBeGreaterThanOrEqual(turnStart + 700)
    expect(s.played[0]!.endedAt - s.played[0]!.startedAt).toBeGreaterThanOrEqual(1000)
  })

  it('skips an item that shows no picture in time, and tries such items again when nothing else is left', () => {
    const s = screen(program('v1', [image('late')]), { stuck: ['late'] })
    s.run(LOAD_TIMEOUT_MS + 100)
    expect(s.failures.map((f) => [f.itemId, f.cause])).toEqual([['late', 'timeout']])
    expect(s.seen).toEqual(['(fallback)'])
    s.stuck.delete('late')
    s.run(RETRY_ALL_MS)
    expect(s.seen).toEqual(['(fallback)', 'late'])
  })

  it('keeps a broken file skipped while it is listed, and tries it again once it left and came back', () => {
    const items = [text('a'), image('bad'), text('c')]
    const s = screen(program('v1', items), { broken: ['bad'] })
    s.run(2_500)
    s.rotation.setProgram(program('v1', [...items]))
    s.run(2_000)
    expect(s.failures).toHaveLength(1)
    s.rotation.setProgram(program('v1', [text('a'), text('c')]))
    s.run(100)
    s.rotation.setProgram(program('v1', items))
    s.run(3_000)
    expect(s.failures).toHaveLength(2)
    expect(s.seen.filter((id) => id === 'bad')).toEqual([])
  })

  it('leaves nothing behind when built but never started (a render React threw away)', () => {
    const failures: unknown[] = []
    const rotation = new Rotation(program('v1', [image('x')]), { played: () => undefined, itemFailed: (r) => failures.push(r), changed: () => undefined })
    vi.advanceTimersByTime(LOAD_TIMEOUT_MS * 2)
    expect(failures).toEqual([])
    rotation.dispose()
  })

  it('primes the next item a few frames before the current turn ends', () => {
    const s = screen(program('v1', [text('a', 1000), text('b')]))
    s.settle()
    vi.advanceTimersByTime(1000 - PRIME_LEAD_MS - 20)
    expect(s.rotation.primed).toBe(false)
    vi.advanceTimersByTime(30)
    expect(s.rotation.primed).toBe(true)
    expect(s.rotation.currentSlot!.item.id).toBe('a')
  })
})
