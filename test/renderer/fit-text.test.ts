import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { largestFittingSize } from '../../renderer/src/fit-text'

describe('largestFittingSize', () => {
  it('finds exactly the largest size that fits, for any threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 500 }), (min, span, threshold) => {
        const max = min + span
        const tried: number[] = []
        const size = largestFittingSize({ fitsAt: (px) => (tried.push(px), px <= threshold) }, min, max)
        const expected = Math.max(min, Math.min(max, threshold))
        expect(size).toBe(expected)
        // A binary search: a handful of layouts, not one per pixel.
        expect(tried.length).toBeLessThanOrEqual(Math.ceil(Math.log2(span + 2)) + 2)
      })
    )
  })
})
