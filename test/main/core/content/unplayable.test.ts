// Items the screen could not play: keyed on how the bytes were played, left out for a growing, bounded
// while on the monotonic clock (the test moves it).
import { describe, expect, it } from 'vitest'
import { UNPLAYABLE_BASE_MS, UNPLAYABLE_MAX_MS, UnplayableFiles } from '../../../../main/core/content/unplayable'

const SHA = 'a'.repeat(64)

describe('UnplayableFiles', () => {
  it('keys on kind, declared type and bytes: failing as an image does not block the same bytes as a video', () => {
    const set = new UnplayableFiles({ mono: () => 0 })
    set.add({ sha256: SHA, kind: 'image', mime: 'video/mp4' })
    expect(set.has({ sha256: SHA, kind: 'image', mime: 'video/mp4' })).toBe(true)
    expect(set.has({ sha256: SHA, kind: 'video', mime: 'video/mp4' })).toBe(false)
    expect(set.has({ sha256: SHA, kind: 'video', mime: 'video/webm' })).toBe(false)
  })

  it('leaves an item out longer after each failure, never longer than the bound, and then tries it again', () => {
    let mono = 0
    const set = new UnplayableFiles({ mono: () => mono })
    const clip = { sha256: SHA, kind: 'video', mime: 'video/mp4' } as const
    const waits = Array.from({ length: 6 }, () => set.add(clip))
    expect(waits).toEqual([1, 2, 4, 8, 16, 32].map((n) => Math.min(UNPLAYABLE_MAX_MS, n * UNPLAYABLE_BASE_MS)))
    mono += UNPLAYABLE_MAX_MS - 1
    expect(set.has(clip)).toBe(true)
    mono += 1
    expect(set.has(clip)).toBe(false)
  })
})
